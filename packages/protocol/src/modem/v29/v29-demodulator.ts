/**
 * V.29 demodulator (4800/7200/9600 bit/s, ITU-T V.29; audio-fax reference §3.5) on the shared PSK demodulator: finds
 * the turn from the A/B alternations into segment 3, trains on its C/D symbols, judges the training on segment 4's
 * scrambled 1s, then decodes amplitude and phase change into descrambled bits.
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
  V29SymbolMapper,
  type V29TrainingPoints,
  v29BitsPerSymbol,
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
    equaliserTaps: 13,
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
  private readonly mapper: V29SymbolMapper;

  constructor(readonly rate: V29Rate) {
    super(demodulatorSpec(rate), new Scrambler(V29_SCRAMBLER, V29_SCRAMBLER_SEED));
    this.points = V29_TRAINING_POINTS[rate];
    this.mapper = new V29SymbolMapper(rate);
  }

  protected trainingTarget(index: number): number {
    if (index === 0) {
      this.generator.reset();
      this.scrambler.reset(V29_SCRAMBLER_SEED);
      this.mapper.reset();
    }
    return this.generator.next() ? this.points.d : this.points.c;
  }

  protected mapTarget(bits: number): number {
    return this.mapper.map(bits);
  }

  protected decode(index: number): number {
    return this.mapper.decode(index);
  }
}
