/**
 * V.17 transmitter (7200/9600/12000/14400 bit/s trellis-coded QAM on 1800 Hz at 2400 baud): the long or short (resync)
 * training without the echo-protector tone, the data through the differential and trellis encoder, then the shutdown
 * of scrambled 1s. A page after TCF is sent by a new transmitter with the short training.
 */

import { PskModulator } from '../psk/psk-modulator.js';
import { Scrambler } from '../psk/scrambler.js';
import { TrellisEncoder } from './trellis-code.js';
import {
  bitReversal,
  V17_LINE,
  V17_POINTS,
  V17_SCRAMBLER,
  V17_SCRAMBLER_SEED,
  V17_SEGMENT,
  V17_SEGMENT4_DIBIT,
  V17_TRAINING,
  V17_TRAINING_POINTS_IM,
  V17_TRAINING_POINTS_RE,
  type V17Points,
  type V17Rate,
  type V17Training,
  v17BitsPerSymbol,
} from './v17-line.js';
import { V17TrainingSequence } from './v17-training.js';

export class V17Modulator extends PskModulator {
  private readonly encoder = new TrellisEncoder();
  private readonly sequence: V17TrainingSequence;
  private readonly points: V17Points;
  /** The order of a symbol's bits turned between the PSK bit path's and V.17's. */
  private readonly reversed: Uint8Array;

  constructor(
    readonly rate: V17Rate,
    readonly training: V17Training = 'long',
    levelDbm0?: number,
  ) {
    const bitsPerSymbol = v17BitsPerSymbol(rate);
    super(
      V17_LINE[rate],
      V17_TRAINING[training],
      new Scrambler(V17_SCRAMBLER, V17_SCRAMBLER_SEED),
      bitsPerSymbol,
      levelDbm0,
    );
    this.reversed = bitReversal(bitsPerSymbol);
    this.points = V17_POINTS[rate];
    this.sequence = new V17TrainingSequence(this.scrambler);
    this.encoder.reset(V17_SEGMENT4_DIBIT[training]);
  }

  protected trainingSymbol(segment: number): void {
    const point =
      segment === V17_SEGMENT.alternations
        ? this.sequence.alternation()
        : segment === V17_SEGMENT.equaliserTraining
          ? this.sequence.scrambled()
          : this.sequence.bridge();
    this.symbolRe = V17_TRAINING_POINTS_RE[point]!;
    this.symbolIm = V17_TRAINING_POINTS_IM[point]!;
  }

  protected mapSymbol(bits: number): void {
    const index = this.encoder.encode(this.reversed[bits]!);
    this.symbolRe = this.points.re[index]!;
    this.symbolIm = this.points.im[index]!;
  }
}
