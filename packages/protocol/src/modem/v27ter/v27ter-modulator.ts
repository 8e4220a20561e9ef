/**
 * V.27ter transmitter (2400/4800 bit/s differential PSK on 1800 Hz, ITU-T V.27ter; audio-fax reference §3.4): the long
 * training sequence without the optional echo-protector tone, the data, then the shutdown of scrambled 1s.
 */

import { PskModulator } from '../psk/psk-modulator.js';
import { Scrambler, V27TER_SCRAMBLER } from '../psk/scrambler.js';
import {
  V27TER_LINE,
  V27TER_POINTS_IM,
  V27TER_POINTS_RE,
  V27TER_SCRAMBLER_SEED,
  V27TER_SEGMENT,
  V27TER_TRAINING,
  type V27terRate,
  V27terSymbolMapper,
} from './v27ter-line.js';

export class V27terModulator extends PskModulator {
  private readonly mapper: V27terSymbolMapper;

  constructor(
    readonly rate: V27terRate,
    levelDbm0?: number,
  ) {
    super(
      V27TER_LINE[rate],
      V27TER_TRAINING,
      new Scrambler(V27TER_SCRAMBLER, V27TER_SCRAMBLER_SEED),
      rate === 4800 ? 3 : 2,
      levelDbm0,
    );
    this.mapper = new V27terSymbolMapper(rate);
  }

  protected trainingSymbol(segment: number): void {
    if (segment === V27TER_SEGMENT.silence) {
      this.symbolRe = 0;
      this.symbolIm = 0;
    } else if (segment === V27TER_SEGMENT.reversals) this.setPoint(this.mapper.reversal());
    else this.setPoint(this.mapper.scrambledReversal(this.scrambler));
  }

  protected mapSymbol(bits: number): void {
    this.setPoint(this.mapper.map(bits));
  }

  private setPoint(index: number): void {
    this.symbolRe = V27TER_POINTS_RE[index]!;
    this.symbolIm = V27TER_POINTS_IM[index]!;
  }
}
