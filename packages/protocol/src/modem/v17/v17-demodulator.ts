/**
 * V.17 receiver (7200/9600/12000/14400 bit/s) on the shared PSK receiver: finds the turn from segment 1's A/B
 * alternations into segment 2, trains on segment 2 and the bridge (long) or on segment 2's 38 symbols from the last
 * burst's equaliser (short), judges the training on segment 4's scrambled 1s through the trellis encoder, then decodes
 * the data with the Viterbi decoder. After a burst trains, the next trains short, as SpanDSP's receiver expects a page
 * after TCF; `trainLong` says otherwise.
 */

import { PskDemodulator, type PskDemodulatorSpec } from '../psk/psk-demodulator.js';
import { DATA_GAINS, type ModemLoopGains, TRAIN_GAINS } from '../psk/psk-demodulator-spec.js';
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
  type V17Points,
  type V17Rate,
  v17BitsPerSymbol,
} from './v17-line.js';
import { V17TrainingSequence } from './v17-training.js';
import { ViterbiDecoder } from './viterbi-decoder.js';

const LONG = V17_TRAINING.long.segments;
const SHORT = V17_TRAINING.short.segments;
/** Segment 2 of the long training, after which the bridge follows. */
const LONG_SEGMENT2 = LONG[V17_SEGMENT.equaliserTraining]!;

/**
 * The mean squared error over segment 4 under which training passes: the constellation's minimum distance in its
 * own units, as SpanDSP judges (its "spacing").
 */
const PASS_ERROR: Record<V17Rate, number> = { 14400: Math.SQRT2, 12000: 2, 9600: 2 * Math.SQRT2, 7200: 4 };

/**
 * 14400's outer points stand about 4° apart, so V.17 needs a quieter carrier loop than the shared gains give: like
 * SpanDSP's receiver, the long training slows its frequency integral and LMS step after a first part, and data runs on
 * a slower carrier loop with a far smaller integral (SpanDSP's P 500 000, I 100) and a light equaliser update; a short
 * training learns the carrier's phase only. With the shared gains, noise at 20 dB SNR walked the carrier loop into
 * false locks that cost whole pages.
 */
const V17_GAINS: ModemLoopGains = {
  fineTrainingAfter: 1000,
  fineTraining: { ...TRAIN_GAINS, carrierI: 0.0005, lms: 0.05 },
  shortTraining: { ...TRAIN_GAINS, carrierI: 0, lms: 0 },
  data: { ...DATA_GAINS, carrierP: 0.03, carrierI: 0.00002, lms: 0.01 },
};

function demodulatorSpec(rate: V17Rate): PskDemodulatorSpec {
  const points = V17_POINTS[rate];
  return {
    line: V17_LINE[rate],
    filterTaps: 23,
    equaliserTaps: 13,
    // segment 1 gives 256 A/B alternations
    acquisitionSymbols: 100,
    trainingSymbols: LONG_SEGMENT2 + LONG[V17_SEGMENT.bridge]!,
    shortTrainingSymbols: SHORT[V17_SEGMENT.equaliserTraining]!,
    bitsPerSymbol: v17BitsPerSymbol(rate),
    onesSymbols: V17_TRAINING.long.onesSymbols,
    passError: PASS_ERROR[rate],
    pointsRe: points.re,
    pointsIm: points.im,
    slicerPoints: Int8Array.from({ length: points.size }, (_, i) => i),
    gains: V17_GAINS,
  };
}

export class V17Demodulator extends PskDemodulator {
  private readonly sequence: V17TrainingSequence;
  private readonly encoder = new TrellisEncoder();
  private readonly viterbi: ViterbiDecoder;
  private readonly points: V17Points;
  /** The order of a symbol's bits turned between the PSK bit path's and V.17's. */
  private readonly reversed: Uint8Array;
  /** The Viterbi decoder starts from the encoder's state once the data begins. */
  private dataStarting = false;

  constructor(readonly rate: V17Rate) {
    super(demodulatorSpec(rate), new Scrambler(V17_SCRAMBLER, V17_SCRAMBLER_SEED));
    this.points = V17_POINTS[rate];
    this.reversed = bitReversal(v17BitsPerSymbol(rate));
    this.sequence = new V17TrainingSequence(this.scrambler);
    this.viterbi = new ViterbiDecoder(this.points);
  }

  protected trainingTarget(index: number): number {
    if (index === 0) {
      this.sequence.reset();
      this.encoder.reset(V17_SEGMENT4_DIBIT[this.shortTraining ? 'short' : 'long']);
      this.dataStarting = true;
    }
    const point = index < LONG_SEGMENT2 ? this.sequence.scrambled() : this.sequence.bridge();
    // A–D follow the constellation's own points
    return this.points.size + point;
  }

  /** Segment 4's 1s go through the trellis encoder, which tracks the transmitter's state up to the data. */
  protected mapTarget(bits: number): number {
    return this.encoder.encode(this.reversed[bits]!);
  }

  protected decode(_index: number, yRe: number, yIm: number): number {
    if (this.dataStarting) {
      this.viterbi.reset(this.encoder.state, this.encoder.dibit);
      this.dataStarting = false;
    }
    const q = this.viterbi.decode(yRe, yIm);
    return q < 0 ? -1 : this.reversed[q]!;
  }
}
