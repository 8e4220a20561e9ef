/**
 * V.17's training points, symbol by symbol, for the transmitter that sends them and the receiver that trains on them:
 * segment 1's A/B alternations, segment 2's scrambled C/D/B/A and the bridge's turns (V.17 training sequence).
 */

import type { Scrambler } from '../psk/scrambler.js';
import { V17_BRIDGE_TURN, V17_BRIDGE_WORD, V17_SCRAMBLER_SEED, V17_SEGMENT2_POINT } from './v17-line.js';

export class V17TrainingSequence {
  /** The last point (0 = A … 3 = D), which the bridge turns. */
  private point = 0;
  private alternations = 0;
  private bridgeSymbols = 0;

  /** `scrambler` is the modem's own: the training leaves it where the data path starts. */
  constructor(private readonly scrambler: Scrambler) {}

  /** Back to the start of a training, the scrambler with it. */
  reset(): void {
    this.point = 0;
    this.alternations = 0;
    this.bridgeSymbols = 0;
    this.scrambler.reset(V17_SCRAMBLER_SEED);
  }

  /** Segment 1: A, B, A, B … (A first). */
  alternation(): number {
    this.point = this.alternations++ & 1;
    return this.point;
  }

  /** Segment 2: two scrambled 1s per symbol, v = 2·b1 + b2, pick C, D, B or A. */
  scrambled(): number {
    const b1 = this.scrambler.scramble(1);
    const b2 = this.scrambler.scramble(1);
    this.point = V17_SEGMENT2_POINT[2 * b1 + b2]!;
    return this.point;
  }

  /** Segment 3 (long training only): two scrambled bits of the bridge word per symbol turn the previous point. */
  bridge(): number {
    const at = 2 * (this.bridgeSymbols++ & 7);
    const b1 = this.scrambler.scramble((V17_BRIDGE_WORD >> at) & 1);
    const b2 = this.scrambler.scramble((V17_BRIDGE_WORD >> (at + 1)) & 1);
    this.point = (this.point + V17_BRIDGE_TURN[2 * b1 + b2]!) & 3;
    return this.point;
  }
}
