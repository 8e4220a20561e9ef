import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPage } from './page.js';
import { changeVerticalResolution } from './vertical-resolution.js';

function pageWithRows(rows: number[][]) {
  const page = createPage({ width: 16, height: rows.length, xResolution: 204, yResolution: 196 });
  for (const [r, bytes] of rows.entries()) page.data.set(bytes, r * page.stride);
  return page;
}

describe('changeVerticalResolution', () => {
  it('halves the rows from fine to standard, keeping a one-row line', () => {
    const fine = pageWithRows([
      [0, 0],
      [0xff, 0],
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
    const standard = changeVerticalResolution(fine, 98, 3);
    assert.equal(standard.yResolution, 98);
    assert.deepEqual([...standard.data], [0xff, 0, 0, 0, 0, 1]);
  });

  it('doubles the rows from standard to fine by repeating each row', () => {
    const standard = pageWithRows([
      [0x80, 0],
      [0, 0x01],
    ]);
    const fine = changeVerticalResolution(standard, 196, 4);
    assert.deepEqual([...fine.data], [0x80, 0, 0x80, 0, 0, 0x01, 0, 0x01]);
  });

  it('keeps the pixels when the row count does not change', () => {
    const page = pageWithRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual([...changeVerticalResolution(page, 196, 3).data], [...page.data]);
  });
});
