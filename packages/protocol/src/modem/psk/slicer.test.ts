import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { V17_POINTS } from '../v17/v17-line.js';
import { V27TER_POINTS_IM, V27TER_POINTS_RE } from '../v27ter/v27ter-line.js';
import { V29_POINTS_IM, V29_POINTS_RE } from '../v29/v29-line.js';
import { Slicer } from './slicer.js';

const CASES = [
  { name: 'V.27ter 8-PSK', points: Int8Array.of(0, 1, 2, 3, 4, 5, 6, 7), re: V27TER_POINTS_RE, im: V27TER_POINTS_IM },
  { name: 'V.27ter 2400', points: Int8Array.of(0, 2, 4, 6), re: V27TER_POINTS_RE, im: V27TER_POINTS_IM },
  { name: 'V.29 9600', points: Int8Array.from({ length: 16 }, (_, i) => i), re: V29_POINTS_RE, im: V29_POINTS_IM },
  { name: 'V.29 4800', points: Int8Array.of(0, 2, 4, 6), re: V29_POINTS_RE, im: V29_POINTS_IM },
  {
    name: 'V.17 14400',
    points: Int8Array.from({ length: V17_POINTS[14400].size }, (_, i) => i),
    re: V17_POINTS[14400].re,
    im: V17_POINTS[14400].im,
  },
];

/** The first of `points` nearest (x, y): what the table holds for a square whose centre is (x, y). */
function searched(points: Int8Array, re: Float64Array, im: Float64Array, x: number, y: number): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of points) {
    const distance = (x - re[k]!) ** 2 + (y - im[k]!) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [k, distance];
  }
  return best;
}

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

    it(`${name}: decides at the centre of every square of its table exactly as a search of every point`, () => {
      const slicer = new Slicer(points, re, im);
      // squares are 1/16 wide from a whole-unit edge, so their centres are the odd multiples of 1/32
      let extent = 0;
      for (const k of points) extent = Math.max(extent, Math.abs(re[k]!), Math.abs(im[k]!));
      const last = 32 * (Math.ceil(extent) + 1);
      for (let row = -last + 1; row < last; row += 2) {
        for (let column = -last + 1; column < last; column += 2) {
          const [x, y] = [column / 32, row / 32];
          const expected = searched(points, re, im, x, y);
          if (slicer.slice(x, y) !== expected) assert.fail(`(${x}, ${y}) → ${slicer.slice(x, y)}, not ${expected}`);
        }
      }
    });
  }
});
