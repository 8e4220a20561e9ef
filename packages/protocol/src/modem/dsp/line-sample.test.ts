import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../testing/lossy-link.js';
import { lineSample } from './line-sample.js';

describe('lineSample', () => {
  it('rounds as Math.round does: halves up, negative halves towards zero', () => {
    for (const value of [0, 0.5, 1.5, -0.5, -1.5, -2.5, 2.4999, -2.5001, 32766.5, -32767.5, 1e-300, -1e-300]) {
      assert.equal(lineSample(value), Math.round(value) + 0, `${value}`);
    }
    const random = seededRandom(5);
    for (let i = 0; i < 100_000; i++) {
      const value = (random() - 0.5) * 65_000;
      assert.equal(lineSample(value), Math.round(value) + 0, `${value}`);
    }
  });

  it('saturates at the 16-bit limits instead of wrapping', () => {
    assert.equal(lineSample(32767.4), 32767);
    assert.equal(lineSample(40_000), 32767);
    assert.equal(lineSample(-32768.6), -32768);
    assert.equal(lineSample(-1e9), -32768);
  });
});
