// Test support: SpanDSP's T.38 terminal as a live peer (interop/spandsp/t38-peer.c), compiled once per source version
// and run as a process that speaks UDPTL over UDP (T.38 §9.1) and reports its T.30 outcome as JSON; the options and
// report every SpanDSP fax terminal peer shares (spandsp-rtp-fax-peer.ts runs the audio terminal on G.711 RTP).

import { spawn } from 'node:child_process';
import type { Modem } from '@faxd/protocol';
import { buildCPeer, type CPeerRecipe, missingLibraryError } from '@faxd/protocol/testing/c-peer-build';
import type { SpandspT30Result } from '@faxd/protocol/testing/spandsp-t30-result';

const T38_PEER: CPeerRecipe = {
  name: 't38-peer',
  source: 'interop/spandsp/t38-peer.c',
  headers: ['tiffio.h', 'spandsp.h'],
  localHeaders: ['interop/spandsp/fax-call.h', 'interop/spandsp/peer-support.h'],
  libraries: ['spandsp', 'tiff', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)',
};

/** SpanDSP's T4_COMPRESSION_* codes, as the peer reports `encoding`. */
export const SPANDSP_ENCODING = { mh: 1, mr: 2, mmr: 3 } as const;

/** SpanDSP's T4_Y_RESOLUTION_* values in pixels per metre, as the peer reports `yResolution`. */
export const SPANDSP_Y_RESOLUTION = { standard: 3850, fine: 7700, superfine: 15400 } as const;

/** What every SpanDSP fax terminal peer takes (interop/spandsp/fax-call.h), whatever carries the call. */
export interface SpandspCallOptions {
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
  /** The image modems its DIS/DCS may offer (t30_set_supported_modems); all three unless given. */
  readonly modems?: readonly Modem[];
  readonly ident?: string;
  /** Share of arriving datagrams the peer drops before it recovers or fills in, in percent. */
  readonly lossPercent?: number;
  readonly seed?: number;
  readonly timeoutSeconds?: number;
  /** Collect SpanDSP's log (returned as `log`). */
  readonly verbose?: boolean;
}

/** The T.38 peer's options. */
export interface SpandspPeerOptions extends SpandspCallOptions {
  readonly redundancy?: number;
}

/** What every fax terminal peer on UDP reports (its JSON line), plus how it exited and what it logged. */
export interface SpandspCallResult extends SpandspT30Result {
  /** Of the last page, in pixels per metre. */
  readonly xResolution: number;
  readonly yResolution: number;
  readonly width: number;
  readonly length: number;
  /** Datagrams the peer's `lossPercent` threw away. */
  readonly datagramsDropped: number;
  readonly seconds: number;
  readonly exitCode: number;
  /** stderr: SpanDSP's log with `verbose`, else only errors. */
  readonly log: string;
}

/** The T.38 peer's report. */
export interface PeerResult extends SpandspCallResult {
  /** IFPs the peer took from UDPTL secondaries to fill gaps. */
  readonly ifpsRecovered: number;
}

/**
 * Compiles interop/spandsp/t38-peer.c once per source version (see c-peer-build.ts) and returns the binary's path.
 * Throws, naming the Debian packages, when gcc or the headers are missing.
 */
export function buildSpandspPeer(): Promise<string> {
  return buildCPeer(T38_PEER);
}

/** The command line of the options every peer shares. */
export function callArguments(options: SpandspCallOptions): string[] {
  const args = [options.mode, '--file', options.file, '--bind', `${options.bindPort}`, '--peer', `${options.peerPort}`];
  if (options.host) args.push('--host', options.host);
  if (options.role) args.push(`--${options.role}`);
  if (options.ecm === false) args.push('--no-ecm');
  if (options.compression) args.push('--compression', options.compression);
  if (options.modems) args.push('--modems', options.modems.join(','));
  if (options.ident !== undefined) args.push('--ident', options.ident);
  if (options.lossPercent) args.push('--loss', `${options.lossPercent}`, '--seed', `${options.seed ?? 1}`);
  if (options.timeoutSeconds !== undefined) args.push('--timeout', `${options.timeoutSeconds}`);
  if (options.verbose) args.push('--verbose');
  return args;
}

/** Runs one call with the T.38 peer (building it first if needed) and resolves with its report. */
export function runSpandspPeer(options: SpandspPeerOptions): Promise<PeerResult> {
  const args = callArguments(options);
  if (options.redundancy !== undefined) args.push('--redundancy', `${options.redundancy}`);
  return runPeerCall<PeerResult>(T38_PEER, args);
}

/** Runs a built peer with `args` until it exits, and resolves with its last stdout line as its report. */
export async function runPeerCall<Result extends SpandspCallResult>(
  recipe: CPeerRecipe,
  args: readonly string[],
): Promise<Result> {
  const binary = await buildCPeer(recipe);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const missing = missingLibraryError(recipe, stderr);
  if (missing) throw missing;
  const report = stdout.trim().split('\n').at(-1) ?? '';
  if (!report.startsWith('{')) {
    throw new Error(`the ${recipe.name} peer exited with ${exitCode} and no report:\n${stderr.slice(-4000)}`);
  }
  return { ...(JSON.parse(report) as Omit<Result, 'exitCode' | 'log'>), exitCode, log: stderr } as Result;
}
