import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextDiscountStart } from './discount-window.js';

const at = (hours: number, minutes = 0, day = 23) => new Date(2026, 10, day, hours, minutes);

describe('nextDiscountStart', () => {
  const overnight = { discountStart: '20:00', discountEnd: '07:00' };

  it('is now inside a window that runs past midnight', () => {
    assert.deepEqual(nextDiscountStart(at(22, 30), overnight), at(22, 30));
    assert.deepEqual(nextDiscountStart(at(3), overnight), at(3));
  });

  it('is the same evening before the window, and the next evening after it', () => {
    assert.deepEqual(nextDiscountStart(at(12), overnight), at(20));
    assert.deepEqual(nextDiscountStart(at(7), overnight), at(20), 'the end is not inside');
  });

  it('handles a window within one day', () => {
    const lunch = { discountStart: '12:00', discountEnd: '13:30' };
    assert.deepEqual(nextDiscountStart(at(12, 45), lunch), at(12, 45));
    assert.deepEqual(nextDiscountStart(at(14), lunch), at(12, 0, 24));
  });
});
