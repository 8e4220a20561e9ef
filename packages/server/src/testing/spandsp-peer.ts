// Test support: SpanDSP's T.38 terminal as a live peer (interop/spandsp/t38-peer.c), compiled once per source version
// and run as a process that speaks UDPTL over UDP (T.38 §9.1) and reports its T.30 outcome as JSON.

import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@faxd/protocol/testing/paths';

const execFileAsync = promisify(execFile);

const INSTALL_HINT = 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)';

/** SpanDSP's T4_COMPRESSION_* codes, as the peer reports `encoding`. */
export const SPANDSP_ENCODING = { mh: 1, mr: 2, mmr: 3 } as const;

/** SpanDSP's T4_Y_RESOLUTION_* values in pixels per metre, as the peer reports `yResolution`. */
export const SPANDSP_Y_RESOLUTION = { standard: 3850, fine: 7700, superfine: 15400 } as const;

export interface SpandspPeerOptions {
  readonly mode: 'send' | 'receive';
  /** The TIFF to send, or the one to write what arrives into. */
  readonly file: string;
  readonly bindPort: number;
  readonly peerPort: number;
  /** IPv4 address of both ends; 127.0.0.1 unless given. */
  readonly host?: string;
  /** By default a sender calls and a receiver answers. */
  readonly role?: 'calling' | 'answering';
  readonly ecm?: boolean;
  /** The best coding the peer offers or uses (default mmr). */
  readonly compression?: 'mh' | 'mr' | 'mmr';
  readonly ident?: string;
  readonly redundancy?: number;
  /** Share of arriving datagrams the peer drops before UDPTL recovery, in percent. */
  readonly lossPercent?: number;
  readonly seed?: number;
  readonly timeoutSeconds?: number;
  /** Collect SpanDSP's T.30/T.38 log (returned as `log`). */
  readonly verbose?: boolean;
}

/** The peer's JSON report, plus how it exited and what it logged. */
export interface PeerResult {
  readonly ok: boolean;
  /** SpanDSP's T30_ERR_* code; -1 when the call timed out before phase E. */
  readonly completion: number;
  readonly completionText: string;
  readonly pagesTx: number;
  readonly pagesRx: number;
  readonly bitRate: number;
  readonly ecm: boolean;
  /** See SPANDSP_ENCODING. */
  readonly encoding: number;
  /** Of the last page, in pixels per metre. */
  readonly xResolution: number;
  readonly yResolution: number;
  readonly width: number;
  readonly length: number;
  readonly remoteIdent: string;
  /** Datagrams the peer's `lossPercent` threw away. */
  readonly datagramsDropped: number;
  /** IFPs the peer took from UDPTL secondaries to fill gaps. */
  readonly ifpsRecovered: number;
  readonly seconds: number;
  readonly exitCode: number;
  /** stderr: SpanDSP's log with `verbose`, else only errors. */
  readonly log: string;
}

let building: Promise<string> | undefined;

/**
 * Compiles interop/spandsp/t38-peer.c into node_modules/.cache/faxd-spandsp/<sha256 of the source>/t38-peer unless
 * that binary exists, and returns its path. Throws, naming the Debian packages, when gcc or the headers are missing.
 */
export function buildSpandspPeer(): Promise<string> {
  building ??= compilePeer().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function compilePeer(): Promise<string> {
  const root = repoRoot();
  const source = join(root, 'interop', 'spandsp', 't38-peer.c');
  const hash = createHash('sha256')
    .update(await readFile(source))
    .digest('hex');
  const directory = join(root, 'node_modules', '.cache', 'faxd-spandsp', hash);
  const binary = join(directory, 't38-peer');
  if (existsSync(binary)) return binary;
  await checkToolchain();
  await mkdir(directory, { recursive: true });
  // Built under a private name and renamed into place: rename is atomic, so a test process racing this one sees either
  // no binary or a whole one, and the last of two identical builds simply wins.
  const partial = join(directory, `t38-peer.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await execFileAsync('gcc', ['-O2', '-Wall', '-o', partial, source, '-lspandsp', '-ltiff', '-lm']);
    await rename(partial, binary);
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`building the SpanDSP peer from ${source} failed (${INSTALL_HINT}):\n${stderr}`);
  }
  return binary;
}

/** gcc, spandsp.h and tiffio.h, checked by preprocessing the two includes the peer needs. */
async function checkToolchain(): Promise<void> {
  try {
    await execFileAsync('sh', ['-c', 'command -v gcc']);
  } catch {
    throw new Error(`gcc is not installed, so the SpanDSP peer cannot be built: ${INSTALL_HINT}`);
  }
  const probe = spawn('gcc', ['-E', '-x', 'c', '-o', '/dev/null', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  probe.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  probe.stdin.end('#include <tiffio.h>\n#include <spandsp.h>\n');
  const code = await new Promise<number | null>((resolve) => probe.on('close', resolve));
  if (code !== 0) {
    throw new Error(`SpanDSP or libtiff headers are missing (${stderr.trim().split('\n')[0]}): ${INSTALL_HINT}`);
  }
}

function peerArguments(options: SpandspPeerOptions): string[] {
  const args = [options.mode, '--file', options.file, '--bind', `${options.bindPort}`, '--peer', `${options.peerPort}`];
  if (options.host) args.push('--host', options.host);
  if (options.role) args.push(`--${options.role}`);
  if (options.ecm === false) args.push('--no-ecm');
  if (options.compression) args.push('--compression', options.compression);
  if (options.ident !== undefined) args.push('--ident', options.ident);
  if (options.redundancy !== undefined) args.push('--redundancy', `${options.redundancy}`);
  if (options.lossPercent) args.push('--loss', `${options.lossPercent}`, '--seed', `${options.seed ?? 1}`);
  if (options.timeoutSeconds !== undefined) args.push('--timeout', `${options.timeoutSeconds}`);
  if (options.verbose) args.push('--verbose');
  return args;
}

/** Runs one call with the SpanDSP peer (building it first if needed) and resolves with its report. */
export async function runSpandspPeer(options: SpandspPeerOptions): Promise<PeerResult> {
  const binary = await buildSpandspPeer();
  const child = spawn(binary, peerArguments(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  if (stderr.includes('error while loading shared libraries')) {
    throw new Error(`the SpanDSP peer cannot start (${stderr.trim()}): ${INSTALL_HINT}`);
  }
  const report = stdout.trim().split('\n').at(-1) ?? '';
  if (!report.startsWith('{')) {
    throw new Error(`the SpanDSP peer exited with ${exitCode} and no report:\n${stderr.slice(-4000)}`);
  }
  return { ...(JSON.parse(report) as Omit<PeerResult, 'exitCode' | 'log'>), exitCode, log: stderr };
}
