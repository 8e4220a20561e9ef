// Test support: SpanDSP's G.711 tables and its modem connect tone generator and detector (interop/spandsp/g711-tones.c)
// on linear 16-bit samples, the reference for faxd's audio/ G.711 coder and CNG/CED tones (audio-fax reference §2, §4.1).

import { spawnSync } from 'node:child_process';
import { buildCPeer, type CPeerRecipe, missingLibraryError } from './c-peer-build.js';

const G711_TONES_PEER: CPeerRecipe = {
  name: 'g711-tones',
  source: 'interop/spandsp/g711-tones.c',
  headers: ['spandsp.h'],
  libraries: ['spandsp', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev (or run .ci/run)',
};

/** The tones g711-tones drives: CNG (1100 Hz) and CED, which SpanDSP treats as plain ANS (2100 Hz). */
export type SpandspConnectTone = 'cng' | 'ced';

/** SpanDSP's MODEM_CONNECT_TONES_* codes the detector reports. */
export const SPANDSP_CONNECT_TONE = { none: 0, cng: 1, ans: 2 } as const;

export interface SpandspG711Tables {
  /** linear_to_ulaw(x) for x = −32768 … 32767, in that order. */
  readonly ulawCodes: Uint8Array;
  readonly alawCodes: Uint8Array;
  /** ulaw_to_linear(c) for c = 0 … 255. */
  readonly ulawLinear: Int16Array;
  readonly alawLinear: Int16Array;
}

export interface SpandspToneReport {
  /** SPANDSP_CONNECT_TONE: the tone found, or none when it stopped. */
  readonly code: number;
  /** The level SpanDSP reports, in dBm0. */
  readonly level: number;
  /** Samples fed when reported (whole 160-sample chunks). */
  readonly sample: number;
}

async function runPeer(args: readonly string[], input?: Uint8Array): Promise<Uint8Array> {
  const binary = await buildCPeer(G711_TONES_PEER);
  const run = spawnSync(binary, args, { input, maxBuffer: 1 << 28 });
  const stderr = run.stderr?.toString() ?? '';
  const missing = missingLibraryError(G711_TONES_PEER, stderr);
  if (missing) throw missing;
  if (run.status !== 0) throw new Error(`g711-tones ${args.join(' ')} exited with ${run.status}: ${stderr}`);
  return new Uint8Array(run.stdout.buffer, run.stdout.byteOffset, run.stdout.byteLength);
}

function littleEndianSamples(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, i) => view.getInt16(i * 2, true));
}

/** SpanDSP's G.711 coder over every input and every code. */
export async function spandspG711Tables(): Promise<SpandspG711Tables> {
  const bytes = await runPeer(['tables']);
  return {
    ulawCodes: bytes.subarray(0, 0x10000),
    alawCodes: bytes.subarray(0x10000, 0x20000),
    ulawLinear: littleEndianSamples(bytes.subarray(0x20000, 0x20200)),
    alawLinear: littleEndianSamples(bytes.subarray(0x20200, 0x20400)),
  };
}

/** `count` samples of SpanDSP's CNG or CED generator from its start (silence once a CED is over). */
export async function spandspToneTransmit(tone: SpandspConnectTone, count: number): Promise<Int16Array> {
  return littleEndianSamples(await runPeer(['tone-tx', tone, `${count}`]));
}

function littleEndianBytes(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
  return bytes;
}

/** SpanDSP's CNG or CED (plain ANS) detector's reports on `samples`. */
export async function spandspToneReceive(tone: SpandspConnectTone, samples: Int16Array): Promise<SpandspToneReport[]> {
  const output = await runPeer(['tone-rx', tone], littleEndianBytes(samples));
  const lines = new TextDecoder().decode(output).trim().split('\n');
  if (lines.at(-1) !== `end ${samples.length}`) throw new Error(`g711-tones tone-rx ended early: ${lines.at(-1)}`);
  return lines.slice(0, -1).map((line) => {
    const [code, level, sample] = line.split(' ').map(Number);
    return { code, level, sample };
  });
}

/**
 * CPU seconds SpanDSP takes for `rounds` passes over `samples`, 160 at a time: coding to µ-law and back then to A-law
 * and back (`g711`), or one fresh CNG or CED detector per pass. For benchmarks against faxd on the same signal.
 */
export async function spandspMediaCpuSeconds(
  work: 'g711' | SpandspConnectTone,
  samples: Int16Array,
  rounds: number,
): Promise<number> {
  const args = work === 'g711' ? ['bench-g711', `${rounds}`] : ['bench-tone-rx', work, `${rounds}`];
  const report = JSON.parse(new TextDecoder().decode(await runPeer(args, littleEndianBytes(samples))));
  return report.cpuSeconds as number;
}
