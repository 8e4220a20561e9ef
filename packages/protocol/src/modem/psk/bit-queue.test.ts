import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitQueue } from './bit-queue.js';

describe('BitQueue', () => {
  it('takes bits in order, the first most significant, with 1s for those it lacks', () => {
    const queue = new BitQueue();
    queue.push(Uint8Array.of(0, 1, 1, 0, 0));
    assert.equal(queue.take(3), 0b011);
    assert.equal(queue.length, 2);
    assert.equal(queue.take(4), 0b0011);
    assert.equal(queue.length, 0);
    assert.equal(queue.take(2), 0b11);
  });

  it('keeps bits in order across growth and reuse of its buffer', () => {
    const queue = new BitQueue();
    const sent: number[] = [];
    const taken: number[] = [];
    for (let round = 0; round < 50; round++) {
      const bits = Uint8Array.from({ length: 37 * round + 5 }, (_, i) => ((i * 7 + round) % 3 === 0 ? 1 : 0));
      queue.push(bits);
      sent.push(...bits);
      while (queue.length >= 3) {
        const value = queue.take(3);
        taken.push((value >> 2) & 1, (value >> 1) & 1, value & 1);
      }
    }
    assert.deepEqual(taken, sent.slice(0, taken.length));
  });
});
