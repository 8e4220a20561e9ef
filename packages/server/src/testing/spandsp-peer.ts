// Test support: SpanDSP's T.38 terminal as a live peer (interop/spandsp/t38-peer.c), compiled once per source version
// and run as a process that speaks UDPTL over UDP (T.38 §9.1) and reports its T.30 outcome as JSON.

import { spawn } from 'node:child_process';
import { buildCPeer, type CPeerRecipe, missingLibraryError } from '@faxd/protocol/testing/c-peer-build';
import type { SpandspT30Result } from '@faxd/protocol/testing/spandsp-t30-result';

const T38_PEER: CPeerRecipe = {
  name: 't38-peer',
  source: 'interop/spandsp/t38-peer.c',
  headers: ['tiffio.h', 'spandsp.h'],
  localHeaders: ['interop/spandsp/peer-support.h'],
  libraries: ['spandsp', 'tiff', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)',
};

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
export interface PeerResult extends SpandspT30Result {
  /** Of the last page, in pixels per metre. */
  readonly xResolution: number;
  readonly yResolution: number;
  readonly width: number;
  readonly length: number;
  /** Datagrams the peer's `lossPercent` threw away. */
  readonly datagramsDropped: number;
  /** IFPs the peer took from UDPTL secondaries to fill gaps. */
  readonly ifpsRecovered: number;
  readonly seconds: number;
  readonly exitCode: number;
  /** stderr: SpanDSP's log with `verbose`, else only errors. */
  readonly log: string;
}

/**
 * Compiles interop/spandsp/t38-peer.c once per source version (see c-peer-build.ts) and returns the binary's path.
 * Throws, naming the Debian packages, when gcc or the headers are missing.
 */
export function buildSpandspPeer(): Promise<string> {
  return buildCPeer(T38_PEER);
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
  const missing = missingLibraryError(T38_PEER, stderr);
  if (missing) throw missing;
  const report = stdout.trim().split('\n').at(-1) ?? '';
  if (!report.startsWith('{')) {
    throw new Error(`the SpanDSP peer exited with ${exitCode} and no report:\n${stderr.slice(-4000)}`);
  }
  return { ...(JSON.parse(report) as Omit<PeerResult, 'exitCode' | 'log'>), exitCode, log: stderr };
}
