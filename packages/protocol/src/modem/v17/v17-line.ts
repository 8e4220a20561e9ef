/**
 * What V.17 puts on the line (ITU-T V.17: 1800 Hz carrier, 2400 symbols per second, trellis-coded QAM at 7200, 9600,
 * 12000 and 14400 bit/s): each rate's constellation, the training points A–D, and the long and short (resync)
 * training sequences, without the optional echo-protector tone (off in fax, as SpanDSP sends it).
 */

import type { PskLineSpec, PskTrainingPlan } from '../psk/psk-modulator.js';
import { type ScramblerSpec, V29_SCRAMBLER } from '../psk/scrambler.js';

export type V17Rate = 7200 | 9600 | 12000 | 14400;
export type V17Training = 'long' | 'short';

export const V17_RATES: readonly V17Rate[] = [14400, 12000, 9600, 7200];

/** Data bits per symbol (the trellis code adds one more). */
export function v17BitsPerSymbol(rate: V17Rate): number {
  return rate / 2400;
}

/** The mean symbol power is that of each rate's constellation; the transmit pulse is V.29's (SpanDSP's choice). */
export const V17_LINE: Record<V17Rate, PskLineSpec> = {
  14400: { baud: 2400, carrierHz: 1800, beta: 0.25, meanSymbolPower: 41 },
  12000: { baud: 2400, carrierHz: 1800, beta: 0.25, meanSymbolPower: 42 },
  9600: { baud: 2400, carrierHz: 1800, beta: 0.25, meanSymbolPower: 40 },
  7200: { baud: 2400, carrierHz: 1800, beta: 0.25, meanSymbolPower: 40 },
};

/** V.17's scrambler has V.29's polynomial (1 + x⁻¹⁸ + x⁻²³); it scrambles training segments 2–4 and the data. */
export const V17_SCRAMBLER: ScramblerSpec = V29_SCRAMBLER;
/** The register both ends start every training from (as SpanDSP's transmitter and receiver do). */
export const V17_SCRAMBLER_SEED = 0x2ecdd5;

/** Indices of the training segments the transmitter draws itself. */
export const V17_SEGMENT = { alternations: 0, equaliserTraining: 1, bridge: 2 } as const;

/**
 * Segment 1: 256 A/B alternations; segment 2: scrambled C/D/B/A points (2976 long, 38 short); segment 3, the
 * bridge (long train only): 64 symbols of turns; segment 4: 48 symbols of scrambled 1s through the data mapping.
 * The shutdown is 32 symbols of scrambled 1s.
 */
export const V17_TRAINING: Record<V17Training, PskTrainingPlan> = {
  long: { segments: [256, 2976, 64], onesSymbols: 48, shutdownSymbols: 32 },
  short: { segments: [256, 38], onesSymbols: 48, shutdownSymbols: 32 },
};

/** The differential encoder's dibit at the start of segment 4. */
export const V17_SEGMENT4_DIBIT: Record<V17Training, number> = { long: 1, short: 0 };

/** The 16-bit word whose bits (bit 0 first) the bridge scrambles, two per symbol, eight symbols per repeat. */
export const V17_BRIDGE_WORD = 0x8880;

/** Training points A, B, C, D: each a 90° turn of the one before. */
export const V17_TRAINING_POINTS_RE = Int8Array.of(-6, 2, 6, -2);
export const V17_TRAINING_POINTS_IM = Int8Array.of(-2, -6, 2, 6);
/** Segment 2's point (0 = A … 3 = D) for the two scrambled bits v = 2·b1 + b2: 0 → C, 1 → D, 2 → B, 3 → A. */
export const V17_SEGMENT2_POINT = Int8Array.of(2, 3, 1, 0);
/** The bridge's turn of the previous point in 90° steps for v: 0 → +90°, 1 → 0°, 2 → 180°, 3 → 270°. */
export const V17_BRIDGE_TURN = Int8Array.of(1, 0, 2, 3);

/**
 * The constellations (re, im per point), indexed by Y0 (bit 0), Y1, Y2, Q3, Q4 … as the trellis encoder sets them,
 * after V.17's figures of the signal space.
 */
// biome-ignore format: one row of eight points (re, im) per line, as the figures are read
const CONSTELLATIONS: Record<V17Rate, Int8Array> = {
  7200: Int8Array.of(
    6, -6, -2, 6, 6, 2, -6, -6, -6, 6, 2, -6, -6, -2, 6, 6,
    -2, 2, 6, -2, -2, -6, 2, 2, 2, -2, -6, 2, 2, 6, -2, -2,
  ),
  9600: Int8Array.of(
    -8, 2, -6, -4, -4, 6, 2, 8, 8, -2, 6, 4, 4, -6, -2, -8,
    0, 2, -6, 4, 4, 6, 2, 0, 0, -2, 6, -4, -4, -6, -2, 0,
    0, -6, 2, -4, -4, -2, -6, 0, 0, 6, -2, 4, 4, 2, 6, 0,
    8, 2, 2, 4, 4, -2, 2, -8, -8, -2, -2, -4, -4, 2, -2, 8,
  ),
  12000: Int8Array.of(
    7, 1, -5, -1, -1, 5, 1, -7, -7, -1, 5, 1, 1, -5, -1, 7,
    3, -3, -1, 3, 3, 1, -3, -3, -3, 3, 1, -3, -3, -1, 3, 3,
    7, -7, -5, 7, 7, 5, -7, -7, -7, 7, 5, -7, -7, -5, 7, 7,
    -1, -7, 3, 7, 7, -3, -7, 1, 1, 7, -3, -7, -7, 3, 7, -1,
    3, 5, -1, -5, -5, 1, 5, -3, -3, -5, 1, 5, 5, -1, -5, 3,
    -1, 1, 3, -1, -1, -3, 1, 1, 1, -1, -3, 1, 1, 3, -1, -1,
    -5, 5, 7, -5, -5, -7, 5, 5, 5, -5, -7, 5, 5, 7, -5, -5,
    -5, -3, 7, 3, 3, -7, -3, 5, 5, 3, -7, -3, -3, 7, 3, -5,
  ),
  14400: Int8Array.of(
    -8, -3, 9, 2, 2, -9, -3, 8, 8, 3, -9, -2, -2, 9, 3, -8,
    -8, 1, 9, -2, -2, -9, 1, 8, 8, -1, -9, 2, 2, 9, -1, -8,
    -4, -3, 5, 2, 2, -5, -3, 4, 4, 3, -5, -2, -2, 5, 3, -4,
    -4, 1, 5, -2, -2, -5, 1, 4, 4, -1, -5, 2, 2, 5, -1, -4,
    4, -3, -3, 2, 2, 3, -3, -4, -4, 3, 3, -2, -2, -3, 3, 4,
    4, 1, -3, -2, -2, 3, 1, -4, -4, -1, 3, 2, 2, -3, -1, 4,
    0, -3, 1, 2, 2, -1, -3, 0, 0, 3, -1, -2, -2, 1, 3, 0,
    0, 1, 1, -2, -2, -1, 1, 0, 0, -1, -1, 2, 2, 1, -1, 0,
    8, -3, -7, 2, 2, 7, -3, -8, -8, 3, 7, -2, -2, -7, 3, 8,
    8, 1, -7, -2, -2, 7, 1, -8, -8, -1, 7, 2, 2, -7, -1, 8,
    -4, -7, 5, 6, 6, -5, -7, 4, 4, 7, -5, -6, -6, 5, 7, -4,
    -4, 5, 5, -6, -6, -5, 5, 4, 4, -5, -5, 6, 6, 5, -5, -4,
    4, -7, -3, 6, 6, 3, -7, -4, -4, 7, 3, -6, -6, -3, 7, 4,
    4, 5, -3, -6, -6, 3, 5, -4, -4, -5, 3, 6, 6, -3, -5, 4,
    0, -7, 1, 6, 6, -1, -7, 0, 0, 7, -1, -6, -6, 1, 7, 0,
    0, 5, 1, -6, -6, -1, 5, 0, 0, -5, -1, 6, 6, 1, -5, 0,
  ),
};

/** A rate's points as the demodulators take them: the constellation, then A, B, C, D at indices size … size + 3. */
export interface V17Points {
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** Points in the constellation (2^(bits per symbol + 1)). */
  readonly size: number;
}

function pointsOf(rate: V17Rate): V17Points {
  const table = CONSTELLATIONS[rate];
  const size = table.length / 2;
  const re = new Float64Array(size + 4);
  const im = new Float64Array(size + 4);
  for (let i = 0; i < size; i++) {
    re[i] = table[2 * i]!;
    im[i] = table[2 * i + 1]!;
  }
  for (let k = 0; k < 4; k++) {
    re[size + k] = V17_TRAINING_POINTS_RE[k]!;
    im[size + k] = V17_TRAINING_POINTS_IM[k]!;
  }
  return { re, im, size };
}

export const V17_POINTS: Record<V17Rate, V17Points> = {
  14400: pointsOf(14400),
  12000: pointsOf(12000),
  9600: pointsOf(9600),
  7200: pointsOf(7200),
};

/**
 * For each `count`-bit value, its bits in reverse order: V.17 numbers a symbol's bits from its first (Q1 in bit 0),
 * the PSK modems' bit paths put the first most significant.
 */
export function bitReversal(count: number): Uint8Array {
  return Uint8Array.from({ length: 1 << count }, (_, value) => {
    let reversed = 0;
    for (let i = 0; i < count; i++) reversed |= ((value >> i) & 1) << (count - 1 - i);
    return reversed;
  });
}
