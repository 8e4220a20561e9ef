import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { V27TER_POINTS_IM, V27TER_POINTS_RE } from '../v27ter/v27ter-line.js';
import { V29_POINTS_IM, V29_POINTS_RE } from '../v29/v29-line.js';
import { Slicer } from './slicer.js';

const CASES = [
  { name: 'V.27ter 8-PSK', points: Int8Array.of(0, 1, 2, 3, 4, 5, 6, 7), re: V27TER_POINTS_RE, im: V27TER_POINTS_IM },
  { name: 'V.27ter 2400', points: Int8Array.of(0, 2, 4, 6), re: V27TER_POINTS_RE, im: V27TER_POINTS_IM },
  { name: 'V.29 9600', points: Int8Array.from({ length: 16 }, (_, i) => i), re: V29_POINTS_RE, im: V29_POINTS_IM },
  { name: 'V.29 4800', points: Int8Array.of(0, 2, 4, 6), re: V29_POINTS_RE, im: V29_POINTS_IM },
];

describe('Slicer', () => {
  for (const { name, points, re, im } of CASES) {
    it(`${name}: picks a point no farther than the nearest by more than a table square's reach`, () => {
      const slicer = new Slicer(points, re, im);
      for (const k of points) assert.equal(slicer.slice(re[k]!, im[k]!), k);
      fc.assert(
        fc.property(
          fc.double({ min: -12, max: 12, noNaN: true }),
          fc.double({ min: -12, max: 12, noNaN: true }),
          (x, y) => {
            const chosen = slicer.slice(x, y);
            assert.ok(points.includes(chosen));
            const distance = (k: number) => Math.hypot(x - re[k]!, y - im[k]!);
            const best = Math.min(...[...points].map(distance));
            // a square is 1/16 wide: its centre is at most 0.045 away, so the choice is off by at most twice that;
            // beyond the table the choice is exact
            assert.ok(distance(chosen) - best <= 0.09, `(${x}, ${y}) → ${chosen}`);
          },
        ),
      );
    });
  }
});
