/**
 * What V.27ter puts on the line (ITU-T V.27ter; audio-fax reference §3.4): carrier, baud, pulse, the 8-phase
 * constellation, the tribit/dibit phase changes and the training sequence's segment lengths.
 */

import {
  DIBIT_OF_PHASE_CHANGE,
  DIBIT_PHASE_CHANGE,
  TRIBIT_OF_PHASE_CHANGE,
  TRIBIT_PHASE_CHANGE,
} from '../psk/phase-changes.js';
import type { PskLineSpec, PskTrainingPlan } from '../psk/psk-modulator.js';
import type { Scrambler } from '../psk/scrambler.js';

export type V27terRate = 2400 | 4800;

/** Carrier 1800 Hz; 1600 baud at 4800, 1200 at 2400; 50 % roll-off split between the ends. */
export const V27TER_LINE: Record<V27terRate, PskLineSpec> = {
  4800: { baud: 1600, carrierHz: 1800, beta: 0.5, meanSymbolPower: 2 },
  2400: { baud: 1200, carrierHz: 1800, beta: 0.5, meanSymbolPower: 2 },
};

/** The long training, without the optional echo-protector tone (off in fax, as SpanDSP sends it). */
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

/**
 * Differential coding: each symbol's phase is the last one's turned by the change its bits choose. The
 * modulator maps; the demodulator maps too (its training targets) and decodes.
 */
export class V27terSymbolMapper {
  /** Phase of the last symbol, in 45° steps. */
  private phaseIndex = 0;

  constructor(private readonly rate: V27terRate) {}

  reset(): void {
    this.phaseIndex = 0;
  }

  /** Training segment 3: a 180° turn. */
  reversal(): number {
    this.phaseIndex = (this.phaseIndex + 4) & 7;
    return this.phaseIndex;
  }

  /** Training segment 4: three scrambler outputs (input 1s), the first choosing 0° or 180°. */
  scrambledReversal(scrambler: Scrambler): number {
    const first = scrambler.scramble(1);
    scrambler.scramble(1);
    scrambler.scramble(1);
    this.phaseIndex = (this.phaseIndex + 4 * first) & 7;
    return this.phaseIndex;
  }

  /** The point (phase) for a symbol's scrambled bits, first bit most significant. */
  map(bits: number): number {
    const change = this.rate === 4800 ? TRIBIT_PHASE_CHANGE[bits]! : DIBIT_PHASE_CHANGE[bits]!;
    this.phaseIndex = (this.phaseIndex + change) & 7;
    return this.phaseIndex;
  }

  /** The scrambled bits of a received point; at 2400 an odd change (off the constellation) reads as an even one. */
  decode(index: number): number {
    const change = (index - this.phaseIndex) & 7;
    this.phaseIndex = index;
    return this.rate === 4800 ? TRIBIT_OF_PHASE_CHANGE[change]! : DIBIT_OF_PHASE_CHANGE[change]!;
  }
}
