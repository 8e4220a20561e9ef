/**
 * V.27ter demodulator (2400/4800 bit/s, ITU-T V.27ter; audio-fax reference §3.4) on the shared PSK demodulator: trains
 * on the scrambled reversals of segment 4, judges the training on segment 5, then decodes phase changes into
 * descrambled bits.
 */

import { PskDemodulator, type PskDemodulatorSpec } from '../psk/psk-demodulator.js';
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

function demodulatorSpec(rate: V27terRate): PskDemodulatorSpec {
  return {
    line: V27TER_LINE[rate],
    filterTaps: rate === 4800 ? 17 : 21,
    equaliserTaps: 13,
    // segment 3 gives 50 reversals, of which the carrier detector misses a few
    acquisitionSymbols: 24,
    trainingSymbols: V27TER_TRAINING.segments[V27TER_SEGMENT.scrambledReversals]!,
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
  private readonly mapper: V27terSymbolMapper;

  constructor(readonly rate: V27terRate) {
    super(demodulatorSpec(rate), new Scrambler(V27TER_SCRAMBLER, V27TER_SCRAMBLER_SEED));
    this.mapper = new V27terSymbolMapper(rate);
  }

  protected trainingTarget(index: number): number {
    if (index === 0) {
      this.scrambler.reset(V27TER_SCRAMBLER_SEED);
      this.mapper.reset();
    }
    // the demodulator generates segment 4 as the modulator does
    return this.mapper.scrambledReversal(this.scrambler);
  }

  protected mapTarget(bits: number): number {
    return this.mapper.map(bits);
  }

  protected decode(index: number): number {
    return this.mapper.decode(index);
  }
}
