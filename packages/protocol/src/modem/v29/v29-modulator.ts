/**
 * V.29 transmitter (4800/7200/9600 bit/s QAM on 1700 Hz at 2400 baud, ITU-T V.29; audio-fax reference §3.5): the
 * training sequence without the optional echo-protector tone, the data, then the shutdown of scrambled 1s.
 */

import { PskModulator } from '../psk/psk-modulator.js';
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

export class V29Modulator extends PskModulator {
  private readonly generator = new V29TrainingGenerator();
  private readonly points: V29TrainingPoints;
  private readonly mapper: V29SymbolMapper;
  private alternation = 0;

  constructor(
    readonly rate: V29Rate,
    levelDbm0?: number,
  ) {
    super(
      V29_LINE[rate],
      V29_TRAINING,
      new Scrambler(V29_SCRAMBLER, V29_SCRAMBLER_SEED),
      v29BitsPerSymbol(rate),
      levelDbm0,
    );
    this.points = V29_TRAINING_POINTS[rate];
    this.mapper = new V29SymbolMapper(rate);
  }

  protected trainingSymbol(segment: number): void {
    if (segment === V29_SEGMENT.silence) {
      this.symbolRe = 0;
      this.symbolIm = 0;
      return;
    }
    let index: number;
    if (segment === V29_SEGMENT.alternations) index = this.alternation++ & 1 ? this.points.a : this.points.b;
    else index = this.generator.next() ? this.points.d : this.points.c;
    this.setPoint(index);
  }

  protected mapSymbol(bits: number): void {
    this.setPoint(this.mapper.map(bits));
  }

  private setPoint(index: number): void {
    this.symbolRe = V29_POINTS_RE[index]!;
    this.symbolIm = V29_POINTS_IM[index]!;
  }
}
