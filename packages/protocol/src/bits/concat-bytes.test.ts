import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes } from './concat-bytes.js';

describe('concatBytes', () => {
  it('joins parts in order into a new array', () => {
    const first = Uint8Array.of(1, 2);
    const joined = concatBytes([first, Uint8Array.of(), Uint8Array.of(3)]);
    assert.deepEqual(joined, Uint8Array.of(1, 2, 3));
    joined[0] = 9;
    assert.equal(first[0], 1);
  });

  it('copies only the bytes a view shows, not its whole buffer', () => {
    const buffer = Uint8Array.of(0, 1, 2, 3, 4, 5);
    assert.deepEqual(concatBytes([buffer.subarray(4), buffer.subarray(1, 3)]), Uint8Array.of(4, 5, 1, 2));
  });

  it('gives an empty array for no parts', () => {
    assert.deepEqual(concatBytes([]), new Uint8Array(0));
  });
});
