/**
 * What a PSK/QAM demodulator is built from: each modem's filter and equaliser lengths, training lengths, pass mark
 * and constellation, and the loop gains every modem uses in each stage of a burst.
 */

import type { PskLineSpec } from './psk-modulator.js';

/** How one modem's receiver is built and trained. */
export interface PskDemodulatorSpec {
  readonly line: PskLineSpec;
  /** Matched filter length in samples (odd); about eight symbols. */
  readonly filterTaps: number;
  /** Equaliser length in T/2 taps, 4k + 1 so its centre tap falls on a symbol instant. */
  readonly equaliserTaps: number;
  /** Symbols after carrier-up spent settling timing and measuring the level, before the gain is frozen. */
  readonly acquisitionSymbols: number;
  /** Known training symbols from that jump on (`trainingTarget`). */
  readonly trainingSymbols: number;
  /**
   * For a modem with a short (resync) training, V.17: its known symbols. After a burst trains, the next one starts
   * from that burst's equaliser, gain, carrier frequency and symbol rate, and trains short (as SpanDSP's receiver).
   */
  readonly shortTrainingSymbols?: number;
  /** Data bits per symbol. */
  readonly bitsPerSymbol: number;
  /** Then scrambled 1s through the data mapping (`onesTarget`), on which training is judged. */
  readonly onesSymbols: number;
  /** Training succeeds when the mean squared error over the 1s is below this. */
  readonly passError: number;
  /** The constellation, and the indices the slicer chooses from at this rate. */
  readonly pointsRe: Float64Array;
  readonly pointsIm: Float64Array;
  readonly slicerPoints: Int8Array;
  /** A modem's own loop gains where the shared ones do not suit it (V.17). */
  readonly gains?: ModemLoopGains;
}

/** Gains of a modem that trains in two steps (as SpanDSP's V.17 receiver) and decodes data on its own gains. */
export interface ModemLoopGains {
  /** After this many known training symbols the loops slow down for a finer fit, kept through the test. */
  readonly fineTrainingAfter: number;
  readonly fineTraining: LoopGains;
  /** A short training's: the equaliser and frequency kept from the last burst, only the carrier's phase is learnt. */
  readonly shortTraining: LoopGains;
  readonly data: LoopGains;
}

/** Loop gains per stage: timing (proportional, integral), carrier (proportional, integral), LMS step. */
export interface LoopGains {
  readonly timingP: number;
  readonly timingI: number;
  readonly carrierP: number;
  readonly carrierI: number;
  readonly lms: number;
  /** The equaliser adapts on one symbol in this many. */
  readonly lmsEvery: number;
}
export const ACQUIRE_GAINS: LoopGains = { timingP: 0.15, timingI: 0, carrierP: 0, carrierI: 0, lms: 0, lmsEvery: 1 };
export const TRAIN_GAINS: LoopGains = {
  timingP: 0.03,
  timingI: 0.0005,
  carrierP: 0.2,
  carrierI: 0.01,
  lms: 0.2,
  lmsEvery: 1,
};
/** In data the equaliser only follows slow changes, so it adapts on one symbol in four, which saves most of its cost. */
export const DATA_GAINS: LoopGains = {
  timingP: 0.01,
  timingI: 0.0001,
  carrierP: 0.05,
  carrierI: 0.0005,
  lms: 0.04,
  lmsEvery: 4,
};
