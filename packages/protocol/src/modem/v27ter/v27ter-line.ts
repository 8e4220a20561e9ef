/**
 * What V.27ter puts on the line (ITU-T V.27ter §2–§3): carrier, baud, pulse, the 8-phase constellation, the
 * tribit/dibit phase changes and the training sequence's segment lengths.
 */

import {
  DIBIT_OF_PHASE_CHANGE,
  DIBIT_PHASE_CHANGE,
  TRIBIT_OF_PHASE_CHANGE,
  TRIBIT_PHASE_CHANGE,
} from '../psk/phase-changes.js';
import type { PskLineSpec, PskTrainingPlan } from '../psk/psk-modulator.js';

export type V27terRate = 2400 | 4800;

/** §2.1 carrier 1800 Hz; §2.2 1600 baud at 4800, 1200 at 2400; 50 % roll-off split between the ends. */
export const V27TER_LINE: Record<V27terRate, PskLineSpec> = {
  4800: { baud: 1600, carrierHz: 1800, beta: 0.5, meanSymbolPower: 2 },
  2400: { baud: 1200, carrierHz: 1800, beta: 0.5, meanSymbolPower: 2 },
};

/** §3.3 long training, without the optional echo-protector tone (off in fax, as SpanDSP sends it). */
export const V27TER_TRAINING: PskTrainingPlan = {
  // silence, continuous 180° reversals, scrambled reversals
  segments: [32, 50, 1074],
  onesSymbols: 8,
  shutdownSymbols: 32,
};

/** Indices of the training segments the transmitter draws itself. */
export const V27TER_SEGMENT = { silence: 0, reversals: 1, scrambledReversals: 2 } as const;

export const V27TER_SCRAMBLER_SEED = 0x3c;

/** Points of the 8 phases (45° steps) on the circle of radius √2. */
export const V27TER_POINTS_RE = new Float64Array(8);
export const V27TER_POINTS_IM = new Float64Array(8);
for (let k = 0; k < 8; k++) {
  V27TER_POINTS_RE[k] = Math.SQRT2 * Math.cos((k * Math.PI) / 4);
  V27TER_POINTS_IM[k] = Math.SQRT2 * Math.sin((k * Math.PI) / 4);
}

export function v27terPhaseChange(rate: V27terRate, bits: number): number {
  return rate === 4800 ? TRIBIT_PHASE_CHANGE[bits]! : DIBIT_PHASE_CHANGE[bits]!;
}

/** The bits of a phase change (45° steps); at 2400 an odd change (off the constellation) reads as the nearer even one. */
export function v27terBitsOfChange(rate: V27terRate, change: number): number {
  return rate === 4800 ? TRIBIT_OF_PHASE_CHANGE[change & 7]! : DIBIT_OF_PHASE_CHANGE[change & 7]!;
}
