/**
 * V.29 receiver (4800/7200/9600 bit/s, ITU-T V.29 §2–§4) on the shared PSK receiver: finds the turn from the
 * A/B alternations into segment 3, trains on its C/D symbols, judges the training on segment 4's scrambled 1s,
 * then decodes amplitude and phase change into descrambled bits.
 */

import { PskDemodulator, type PskDemodulatorSpec } from '../psk/psk-demodulator.js';
import { Scrambler, V29_SCRAMBLER, V29TrainingGenerator } from '../psk/scrambler.js';
import {
  V29_LINE,
  V29_POINTS_IM,
  V29_POINTS_RE,
  V29_SCRAMBLER_SEED,
  V29_SEGMENT,
  V29_TRAINING,
  V29_TRAINING_POINTS,
  type V29Rate,
  type V29TrainingPoints,
  v29BitsOfMapping,
  v29BitsPerSymbol,
  v29Mapping,
} from './v29-line.js';

/** The slicer's choice at each rate: all 16 points, the 8 inner ones, or the 4 inner ones on the axes. */
const SLICER_POINTS: Record<V29Rate, Int8Array> = {
  9600: Int8Array.from({ length: 16 }, (_, i) => i),
  7200: Int8Array.of(0, 1, 2, 3, 4, 5, 6, 7),
  4800: Int8Array.of(0, 2, 4, 6),
};

function demodulatorSpec(rate: V29Rate): PskDemodulatorSpec {
  return {
    line: V29_LINE[rate],
    filterTaps: 21,
    equaliserTaps: 17,
    // segment 2 gives 128 A/B alternations
    acquisitionSymbols: 40,
    trainingSymbols: V29_TRAINING.segments[V29_SEGMENT.equaliserTraining]!,
    bitsPerSymbol: v29BitsPerSymbol(rate),
    onesSymbols: V29_TRAINING.onesSymbols,
    passError: 1,
    pointsRe: V29_POINTS_RE,
    pointsIm: V29_POINTS_IM,
    slicerPoints: SLICER_POINTS[rate],
  };
}

export class V29Demodulator extends PskDemodulator {
  private readonly generator = new V29TrainingGenerator();
  private readonly points: V29TrainingPoints;
  /** The phase (45° steps) of the last symbol, for differential decoding. */
  private phaseIndex = 0;

  constructor(readonly rate: V29Rate) {
    super(demodulatorSpec(rate), new Scrambler(V29_SCRAMBLER, V29_SCRAMBLER_SEED));
    this.points = V29_TRAINING_POINTS[rate];
  }

  protected trainingTarget(index: number): number {
    if (index === 0) {
      this.generator.reset();
      this.scrambler.reset(V29_SCRAMBLER_SEED);
      this.phaseIndex = 0;
    }
    return this.generator.next() ? this.points.d : this.points.c;
  }

  protected mapTarget(bits: number): number {
    const mapping = v29Mapping(this.rate, bits);
    this.phaseIndex = (this.phaseIndex + (mapping & 7)) & 7;
    return (mapping & 8) | this.phaseIndex;
  }

  protected decode(index: number): number {
    const phase = index & 7;
    const bits = v29BitsOfMapping(this.rate, index & 8, phase - this.phaseIndex);
    this.phaseIndex = phase;
    return bits;
  }
}
