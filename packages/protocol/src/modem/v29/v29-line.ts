/**
 * What V.29 puts on the line (ITU-T V.29; audio-fax reference §3.5): carrier, baud, the 16-point constellation, the
 * per-rate mapping of bits to amplitude and phase change, and the training sequence's segments and A/B/C/D points.
 */

import {
  DIBIT_OF_PHASE_CHANGE,
  DIBIT_PHASE_CHANGE,
  TRIBIT_OF_PHASE_CHANGE,
  TRIBIT_PHASE_CHANGE,
} from '../psk/phase-changes.js';
import type { PskLineSpec, PskTrainingPlan } from '../psk/psk-modulator.js';

export type V29Rate = 4800 | 7200 | 9600;

/** Carrier 1700 Hz, 2400 baud; the mean symbol power is that of each rate's data points. */
export const V29_LINE: Record<V29Rate, PskLineSpec> = {
  9600: { baud: 2400, carrierHz: 1700, beta: 0.25, meanSymbolPower: 13.5 },
  7200: { baud: 2400, carrierHz: 1700, beta: 0.25, meanSymbolPower: 5.5 },
  4800: { baud: 2400, carrierHz: 1700, beta: 0.25, meanSymbolPower: 9 },
};

/** The training, without the optional echo-protector tone. */
export const V29_TRAINING: PskTrainingPlan = {
  // silence, A/B alternations, C/D equaliser conditioning
  segments: [48, 128, 384],
  onesSymbols: 48,
  shutdownSymbols: 32,
};

/** Indices of the training segments the transmitter draws itself. */
export const V29_SEGMENT = { silence: 0, alternations: 1, equaliserTraining: 2 } as const;

export const V29_SCRAMBLER_SEED = 0;

/** The constellation: index = amplitude bit × 8 + phase (45° steps). */
export const V29_POINTS_RE = Float64Array.of(3, 1, 0, -1, -3, -1, 0, 1, 5, 3, 0, -3, -5, -3, 0, 3);
export const V29_POINTS_IM = Float64Array.of(0, 1, 3, 1, 0, -1, -3, -1, 0, 3, 5, 3, 0, -3, -5, -3);

/** Training segment 2 alternates A and B (B first, as SpanDSP sends), segment 3 sends C for a 0, D for a 1. */
/** Constellation indices of the training points A, B, C and D. */
export interface V29TrainingPoints {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export const V29_TRAINING_POINTS: Record<V29Rate, V29TrainingPoints> = {
  // as constellation indices: 9600 A = (3,-3), B = (-3,0), C = (3,0), D = (-3,3)
  9600: { a: 15, b: 4, c: 0, d: 11 },
  // 7200 A = (1,-1), D = (-1,1)
  7200: { a: 7, b: 4, c: 0, d: 3 },
  // 4800 A = (0,-3), D = (0,3)
  4800: { a: 6, b: 4, c: 0, d: 2 },
};

/** Bits per symbol at each rate. */
export function v29BitsPerSymbol(rate: V29Rate): number {
  return rate / 2400;
}

/**
 * Coding: Q1 chooses the amplitude at 9600, the other bits a phase change from the last symbol's phase. The
 * modulator maps; the demodulator maps too (its training targets) and decodes.
 */
export class V29SymbolMapper {
  /** Phase of the last symbol in 45° steps; it starts at 0 for training segment 4. */
  private phaseIndex = 0;

  constructor(private readonly rate: V29Rate) {}

  reset(): void {
    this.phaseIndex = 0;
  }

  /** The constellation index for a symbol's scrambled bits, first bit most significant. */
  map(bits: number): number {
    let amplitude = 0;
    let change: number;
    if (this.rate === 9600) {
      amplitude = bits & 8;
      change = TRIBIT_PHASE_CHANGE[bits & 7]!;
    } else change = this.rate === 7200 ? TRIBIT_PHASE_CHANGE[bits]! : DIBIT_PHASE_CHANGE[bits]!;
    this.phaseIndex = (this.phaseIndex + change) & 7;
    return amplitude | this.phaseIndex;
  }

  /** The scrambled bits of a received constellation index. */
  decode(index: number): number {
    const phase = index & 7;
    const change = (phase - this.phaseIndex) & 7;
    this.phaseIndex = phase;
    if (this.rate === 9600) return (index & 8) | TRIBIT_OF_PHASE_CHANGE[change]!;
    return this.rate === 7200 ? TRIBIT_OF_PHASE_CHANGE[change]! : DIBIT_OF_PHASE_CHANGE[change]!;
  }
}
