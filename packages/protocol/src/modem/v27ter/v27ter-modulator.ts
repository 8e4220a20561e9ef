/**
 * V.27ter transmitter (2400/4800 bit/s differential PSK on 1800 Hz, ITU-T V.27ter §2–§3): the long training
 * sequence of §3.3 without the optional echo-protector tone, the data, then the shutdown of scrambled 1s.
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
  v27terPhaseChange,
} from './v27ter-line.js';

export class V27terModulator extends PskModulator {
  /** Phase in 45° steps. */
  private phaseIndex = 0;

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
  }

  protected trainingSymbol(segment: number): void {
    if (segment === V27TER_SEGMENT.silence) {
      this.symbolRe = 0;
      this.symbolIm = 0;
      return;
    }
    if (segment === V27TER_SEGMENT.reversals) this.phaseIndex = (this.phaseIndex + 4) & 7;
    else {
      // §3.3 segment 4: three scrambler outputs per symbol, the first choosing 0° or 180°
      const first = this.scrambler.scramble(1);
      this.scrambler.scramble(1);
      this.scrambler.scramble(1);
      this.phaseIndex = (this.phaseIndex + 4 * first) & 7;
    }
    this.setPoint();
  }

  protected mapSymbol(bits: number): void {
    this.phaseIndex = (this.phaseIndex + v27terPhaseChange(this.rate, bits)) & 7;
    this.setPoint();
  }

  private setPoint(): void {
    this.symbolRe = V27TER_POINTS_RE[this.phaseIndex]!;
    this.symbolIm = V27TER_POINTS_IM[this.phaseIndex]!;
  }
}
