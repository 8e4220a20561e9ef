// G.711 µ-law (PCMU) and A-law (PCMA) on 16-bit linear samples (G.711 §2–3, scaled to 16 bits as SpanDSP does).
import type { G711Codec } from '../sdp/audio-offer-answer.js';

/**
 * G.711 codes 14-bit (µ-law) and 13-bit (A-law) samples; on 16-bit input the µ-law bias 33 becomes 33 × 4 = 132 and
 * the A-law steps are 8 wide, so decoded µ-law spans ±32 124 and A-law ±32 256 (SpanDSP's g711.h works the same way,
 * which is what lets faxd's tables match it exactly).
 */
const ULAW_BIAS = 0x84;
/** G.711 Table 1/G.711 note: even bits of every A-law code are inverted on the line. */
const ALAW_AMI_MASK = 0x55;

/** The silence code a sender fills idle time with: µ-law +0 and A-law's smallest positive step. */
export const G711_SILENCE: Readonly<Record<G711Codec, number>> = { PCMU: 0xff, PCMA: 0xd5 };

/** Index of the highest set bit of a positive 32-bit value. */
function topBit(value: number): number {
  return 31 - Math.clz32(value);
}

function ulawCode(x: number): number {
  const positive = x >= 0;
  const magnitude = positive ? x + ULAW_BIAS : ULAW_BIAS - x;
  const mask = positive ? 0xff : 0x7f;
  const segment = topBit(magnitude | 0xff) - 7;
  // Magnitudes past the top segment clip to the largest code of their sign.
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((magnitude >> (segment + 3)) & 0x0f)) ^ mask;
}

function ulawLinear(code: number): number {
  const u = ~code & 0xff;
  const t = (((u & 0x0f) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

function alawCode(x: number): number {
  let mask = 0xd5;
  if (x < 0) {
    // A-law is sign-magnitude around −½ step: −1 codes like 0, so negatives use the ones' complement.
    mask = ALAW_AMI_MASK;
    x = -x - 1;
  }
  const segment = topBit(x | 0xff) - 7;
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((x >> (segment ? segment + 3 : 4)) & 0x0f)) ^ mask;
}

function alawLinear(code: number): number {
  const a = code ^ ALAW_AMI_MASK;
  let i = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  i = segment > 0 ? (i + 0x108) << (segment - 1) : i + 8;
  return a & 0x80 ? i : -i;
}

interface G711Tables {
  /** Code for every 16-bit input, indexed by the sample's low 16 bits (x & 0xffff). */
  readonly encode: Uint8Array;
  /** Linear value of every code. */
  readonly decode: Int16Array;
}

function buildTables(code: (x: number) => number, linear: (c: number) => number): G711Tables {
  const encode = new Uint8Array(0x10000);
  for (let x = -0x8000; x < 0x8000; x++) encode[x & 0xffff] = code(x);
  const decode = new Int16Array(256);
  for (let c = 0; c < 256; c++) decode[c] = linear(c);
  return { encode, decode };
}

let tables: Readonly<Record<G711Codec, G711Tables>> | undefined;

/** Both laws' tables (64 KiB + 512 B each), built on first use and shared by every channel. */
function tablesFor(codec: G711Codec): G711Tables {
  tables ??= { PCMU: buildTables(ulawCode, ulawLinear), PCMA: buildTables(alawCode, alawLinear) };
  return tables[codec];
}

/**
 * Codes `samples` into `out` (one octet per sample, same order) and returns `out`, or a new array when none is given.
 * Samples are taken modulo 2^16, as Int16Array holds them.
 */
export function encodeG711(codec: G711Codec, samples: Int16Array, out?: Uint8Array): Uint8Array {
  const target = out ?? new Uint8Array(samples.length);
  if (target.length < samples.length) {
    throw new RangeError(`G.711 output holds ${target.length} octets, ${samples.length} samples given`);
  }
  const encode = tablesFor(codec).encode;
  for (let i = 0; i < samples.length; i++) target[i] = encode[samples[i] & 0xffff];
  return target;
}

/** Expands `codes` into `out` (one sample per octet) and returns `out`, or a new array when none is given. */
export function decodeG711(codec: G711Codec, codes: Uint8Array, out?: Int16Array): Int16Array {
  const target = out ?? new Int16Array(codes.length);
  if (target.length < codes.length) {
    throw new RangeError(`G.711 output holds ${target.length} samples, ${codes.length} octets given`);
  }
  const decode = tablesFor(codec).decode;
  for (let i = 0; i < codes.length; i++) target[i] = decode[codes[i]];
  return target;
}
