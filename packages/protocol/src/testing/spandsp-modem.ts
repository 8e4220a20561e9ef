// Test support: SpanDSP's fax modems (interop/spandsp/modem-peer.c) as a reference transmitter and receiver on linear
// 16-bit samples at 8 kHz, for interop tests and benchmarks of faxd's own modems (audio-fax reference §6.1).

import { spawn } from 'node:child_process';
import { concatBytes } from '../bits/concat-bytes.js';
import { reverseOctets } from '../hdlc/bit-order.js';
import { buildCPeer, type CPeerRecipe, missingLibraryError } from './c-peer-build.js';

const MODEM_PEER: CPeerRecipe = {
  name: 'modem-peer',
  source: 'interop/spandsp/modem-peer.c',
  headers: ['spandsp.h'],
  libraries: ['spandsp', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev (or run .ci/run)',
};

export type SpandspModemKind = 'v21' | 'v27ter' | 'v29' | 'v17';

/** SpanDSP's SIG_STATUS_* reports, by the names modem-peer prints. */
export type SpandspModemStatus =
  | 'carrier-up'
  | 'carrier-down'
  | 'training-in-progress'
  | 'training-succeeded'
  | 'training-failed'
  | 'framing-ok'
  | 'abort'
  | 'other';

export interface SpandspModemOptions {
  readonly modem: SpandspModemKind;
  /** Bit rate; the modem's highest unless given (V.21: 300). */
  readonly bitRate?: number;
  /** Samples per call into SpanDSP (default 160, one 20 ms packet). */
  readonly chunk?: number;
}

export interface SpandspTransmitOptions extends SpandspModemOptions {
  /** Sends the bits or frames this many times, the modem restarted (trained again) for each burst. Default 1. */
  readonly bursts?: number;
  /** Silence between bursts in samples (default 600, T.30's 75 ms). */
  readonly gapSamples?: number;
  /** V.17: bursts after the first train short, as a page follows TCF (the receiver trains short by itself). */
  readonly shortTrain?: boolean;
  /** Transmit level in dBm0 (default SpanDSP's: −14 dBm0). */
  readonly powerDbm0?: number;
}

export interface SpandspTransmitBitsOptions extends SpandspTransmitOptions {
  /** One element per bit, 0 or 1, in line order; sent after SpanDSP's training, then its shutdown follows. */
  readonly bits: Uint8Array;
}

export interface SpandspTransmitFramesOptions extends SpandspTransmitOptions {
  /** Frames without FCS, MSB-first octets as faxd's hdlc/ stores them; SpanDSP's HDLC transmitter adds the FCS. */
  readonly frames: readonly Uint8Array[];
  /** Flag octets before the first frame (default 32, as SpanDSP's fax front end sends). */
  readonly preambleFlags?: number;
}

export interface SpandspTransmitResult {
  readonly samples: Int16Array;
  /** Bits handed to the modem (data or stuffed HDLC, flags included). */
  readonly bitCount: number;
  /** CPU time spent inside SpanDSP's modem calls. */
  readonly cpuSeconds: number;
}

export interface SpandspReceiveOptions extends SpandspModemOptions {
  readonly samples: Int16Array;
  /** Zero samples appended so the receiver sees the carrier drop (default 1600, 200 ms). */
  readonly trailingSilence?: number;
  /** Stretches of `samples` that never arrive (lost packets): SpanDSP's fill-in stands in for them. In order. */
  readonly lost?: readonly { readonly at: number; readonly count: number }[];
}

export interface SpandspStatusEvent {
  readonly status: SpandspModemStatus;
  /** SpanDSP's SIG_STATUS_* code. */
  readonly code: number;
  /** Samples fed when the status was reported (rounded up to a whole chunk). */
  readonly sample: number;
}

export interface SpandspReceivedFrame {
  /** Without FCS, MSB-first octets as faxd's hdlc/ stores them. */
  readonly bytes: Uint8Array;
  readonly fcsOk: boolean;
  readonly sample: number;
}

export interface SpandspReceiveResult {
  readonly events: readonly SpandspStatusEvent[];
  /** Every bit the receiver put out, one element per bit, after its training. */
  readonly bits: Uint8Array;
  /** Frames from SpanDSP's HDLC receiver (frame mode only). */
  readonly frames: readonly SpandspReceivedFrame[];
  /** The receiver's carrier frequency estimate at the end, in Hz (0 for V.21). */
  readonly carrierHz: number;
  /** The receiver's signal power at the end, in dBm0 (0 for V.21). */
  readonly powerDbm0: number;
  readonly cpuSeconds: number;
}

/** Compiles modem-peer.c once per source version and returns the binary's path (see c-peer-build.ts). */
export function buildSpandspModem(): Promise<string> {
  return buildCPeer(MODEM_PEER);
}

/** SpanDSP's transmitter sends `bits` after its training (and shutdown after them) and returns the samples. */
export async function spandspTransmitBits(options: SpandspTransmitBitsOptions): Promise<SpandspTransmitResult> {
  const input = new Uint8Array(options.bits.length);
  for (let i = 0; i < input.length; i++) input[i] = options.bits[i] & 1;
  return transmit(options, [], input);
}

/** SpanDSP's transmitter sends the frames through its own HDLC framer (preamble flags, FCS, 2 closing flags). */
export async function spandspTransmitFrames(options: SpandspTransmitFramesOptions): Promise<SpandspTransmitResult> {
  const size = options.frames.reduce((sum, frame) => sum + 2 + frame.length, 0);
  const input = new Uint8Array(size);
  let at = 0;
  for (const frame of options.frames) {
    if (frame.length > 0xffff) throw new Error('a frame longer than 65535 octets cannot be passed to modem-peer');
    input[at] = frame.length >> 8;
    input[at + 1] = frame.length & 0xff;
    // SpanDSP stores HDLC octets LSB first on the line, faxd MSB first.
    input.set(reverseOctets(frame), at + 2);
    at += 2 + frame.length;
  }
  return transmit(options, ['--hdlc', '--preamble', `${options.preambleFlags ?? 32}`], input);
}

/** SpanDSP's receiver decodes `samples` as bits, with its status reports. */
export function spandspReceiveBits(options: SpandspReceiveOptions): Promise<SpandspReceiveResult> {
  return receive(options, []);
}

/** SpanDSP's receiver decodes `samples` and its HDLC receiver (framing OK after 8 flags) returns the frames. */
export function spandspReceiveFrames(options: SpandspReceiveOptions): Promise<SpandspReceiveResult> {
  return receive(options, ['--hdlc']);
}

function commonArguments(options: SpandspModemOptions): string[] {
  const args = ['--modem', options.modem];
  if (options.bitRate !== undefined) args.push('--rate', `${options.bitRate}`);
  if (options.chunk !== undefined) args.push('--chunk', `${options.chunk}`);
  return args;
}

async function transmit(
  options: SpandspTransmitOptions,
  extra: readonly string[],
  input: Uint8Array,
): Promise<SpandspTransmitResult> {
  const args = ['tx', ...commonArguments(options), ...extra];
  if (options.bursts !== undefined) args.push('--bursts', `${options.bursts}`);
  if (options.gapSamples !== undefined) args.push('--gap', `${options.gapSamples}`);
  if (options.shortTrain) args.push('--short-train');
  if (options.powerDbm0 !== undefined) args.push('--power', `${options.powerDbm0}`);
  const run = await runPeer(args, input);
  const report = lastJsonLine(run.stderr, run);
  const bytes = run.stdout;
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return { samples, bitCount: report.bitCount as number, cpuSeconds: report.cpuSeconds as number };
}

async function receive(options: SpandspReceiveOptions, extra: readonly string[]): Promise<SpandspReceiveResult> {
  const trailing = options.trailingSilence ?? 1600;
  const input = new Uint8Array((options.samples.length + trailing) * 2);
  const view = new DataView(input.buffer);
  for (let i = 0; i < options.samples.length; i++) view.setInt16(i * 2, options.samples[i], true);
  const losses = (options.lost ?? []).flatMap((loss) => ['--lose', `${loss.at}:${loss.count}`]);
  const run = await runPeer(['rx', ...commonArguments(options), ...losses, ...extra], input);
  const events: SpandspStatusEvent[] = [];
  const frames: SpandspReceivedFrame[] = [];
  const bitStrings: string[] = [];
  const lines = new TextDecoder().decode(run.stdout).trim().split('\n');
  for (const line of lines.slice(0, -1)) {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (typeof record.status === 'string') {
      events.push({
        status: record.status as SpandspModemStatus,
        code: record.code as number,
        sample: record.sample as number,
      });
    } else if (typeof record.bits === 'string') {
      bitStrings.push(record.bits);
    } else if (typeof record.frame === 'string') {
      const hex = record.frame;
      const octets = new Uint8Array(hex.length / 2);
      for (let i = 0; i < octets.length; i++) octets[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      frames.push({ bytes: reverseOctets(octets), fcsOk: record.ok === true, sample: record.sample as number });
    }
  }
  const report = lastJsonLine(new TextDecoder().decode(run.stdout), run);
  const joined = bitStrings.join('');
  const bits = new Uint8Array(joined.length);
  for (let i = 0; i < bits.length; i++) bits[i] = joined.charCodeAt(i) & 1;
  return {
    events,
    bits,
    frames,
    carrierHz: report.carrierHz as number,
    powerDbm0: report.powerDbm0 as number,
    cpuSeconds: report.cpuSeconds as number,
  };
}

interface PeerRun {
  readonly stdout: Uint8Array;
  readonly stderr: string;
  readonly exitCode: number;
}

async function runPeer(args: readonly string[], input: Uint8Array): Promise<PeerRun> {
  const binary = await buildSpandspModem();
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Uint8Array[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Uint8Array) => {
    stderr += chunk.toString();
  });
  // The peer reads all of stdin before writing, so an early exit (bad arguments) must not become an unhandled EPIPE.
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const missing = missingLibraryError(MODEM_PEER, stderr);
  if (missing) throw missing;
  const stdout = concatBytes(chunks);
  if (exitCode !== 0) throw new Error(`modem-peer ${args.join(' ')} exited with ${exitCode}:\n${stderr.slice(-4000)}`);
  return { stdout, stderr, exitCode };
}

function lastJsonLine(text: string, run: PeerRun): Record<string, unknown> {
  const last = text.trim().split('\n').at(-1) ?? '';
  if (!last.startsWith('{"end"')) {
    throw new Error(`modem-peer exited with ${run.exitCode} and no report:\n${run.stderr.slice(-4000)}`);
  }
  return JSON.parse(last) as Record<string, unknown>;
}
