/**
 * V.27ter receiver (2400/4800 bit/s, ITU-T V.27ter §2–§3) on the shared PSK receiver: trains on the scrambled
 * reversals of segment 4, judges the training on segment 5, then decodes phase changes into descrambled bits.
 */

import { PskDemodulator, type PskDemodulatorSpec } from '../psk/psk-demodulator.js';
import { Scrambler, V27TER_SCRAMBLER } from '../psk/scrambler.js';
import {
  V27TER_LINE,
  V27TER_POINTS_IM,
  V27TER_POINTS_RE,
  V27TER_SCRAMBLER_SEED,
  V27TER_TRAINING,
  type V27terRate,
  v27terBitsOfChange,
  v27terPhaseChange,
} from './v27ter-line.js';

const SCRAMBLED_REVERSALS = V27TER_TRAINING.segments[2]!;

function demodulatorSpec(rate: V27terRate): PskDemodulatorSpec {
  return {
    line: V27TER_LINE[rate],
    filterTaps: rate === 4800 ? 21 : 27,
    equaliserTaps: 17,
    // segment 3 gives 50 reversals, of which the carrier detector misses a few
    acquisitionSymbols: 24,
    trainingSymbols: SCRAMBLED_REVERSALS,
    bitsPerSymbol: rate === 4800 ? 3 : 2,
    onesSymbols: V27TER_TRAINING.onesSymbols,
    // SpanDSP's pass marks for segment 5
    passError: rate === 4800 ? 0.25 : 0.5,
    pointsRe: V27TER_POINTS_RE,
    pointsIm: V27TER_POINTS_IM,
    slicerPoints: rate === 4800 ? Int8Array.of(0, 1, 2, 3, 4, 5, 6, 7) : Int8Array.of(0, 2, 4, 6),
  };
}

export class V27terDemodulator extends PskDemodulator {
  /** The phase (45° steps) of the last symbol, for differential decoding. */
  private phaseIndex = 0;

  constructor(readonly rate: V27terRate) {
    super(demodulatorSpec(rate), new Scrambler(V27TER_SCRAMBLER, V27TER_SCRAMBLER_SEED));
  }

  protected trainingTarget(index: number): number {
    if (index === 0) {
      this.scrambler.reset(V27TER_SCRAMBLER_SEED);
      this.phaseIndex = 0;
    }
    // the receiver generates segment 4 as the transmitter does; only the first of each three outputs shows
    const first = this.scrambler.scramble(1);
    this.scrambler.scramble(1);
    this.scrambler.scramble(1);
    this.phaseIndex = (this.phaseIndex + 4 * first) & 7;
    return this.phaseIndex;
  }

  protected mapTarget(bits: number): number {
    this.phaseIndex = (this.phaseIndex + v27terPhaseChange(this.rate, bits)) & 7;
    return this.phaseIndex;
  }

  protected decode(index: number): number {
    const bits = v27terBitsOfChange(this.rate, index - this.phaseIndex);
    this.phaseIndex = index;
    return bits;
  }
}
