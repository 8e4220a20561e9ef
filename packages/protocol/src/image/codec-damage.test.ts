// Damaged and truncated coded data: bad rows are counted and patched, good rows survive, nothing throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../bits/decode-error.js';
import { ituChartPath } from '../testing/paths.js';
import { readPbm } from '../testing/pbm.js';
import { decodePage, encodePage } from './codec.js';
import type { BilevelPage } from './page.js';

const page = readPbm(ituChartPath(1));
const stride = page.stride;

function row(p: BilevelPage, y: number): Uint8Array {
  return p.data.subarray(y * stride, (y + 1) * stride);
}

/** Byte offsets of every row's EOL end in byte-aligned MH data (each EOL ends with byte 0x01). */
function rowStarts(data: Uint8Array): number[] {
  const starts: number[] = [];
  for (let i = 1; i < data.length; i++) if (data[i] === 0x01 && (data[i - 1] & 0x0f) === 0) starts.push(i + 1);
  return starts;
}

describe('damaged MH/MR data', () => {
  it('counts exactly the corrupted rows 10-12 of byte-aligned MH, repeats row 9 and keeps the rest', () => {
    // Rows with content, so corruption cannot accidentally decode to the same pixels.
    const first = 400;
    const slice: BilevelPage = { ...page, height: 100, data: page.data.slice(first * stride, (first + 100) * stride) };
    const coded = encodePage(slice, { compression: 'mh', byteAlignEol: true });
    const starts = rowStarts(coded);
    assert.ok(starts.length >= 100);
    for (const y of [10, 11, 12]) coded[starts[y]] ^= 0xff; // first code byte of the row
    const decoded = decodePage(coded, { compression: 'mh', width: slice.width });
    assert.equal(decoded.page.height, 100);
    assert.equal(decoded.badRows, 3);
    assert.equal(decoded.consecutiveBadRows, 3);
    assert.equal(decoded.endOfPage, true);
    for (const y of [10, 11, 12]) assert.deepEqual(row(decoded.page, y), row(slice, 9));
    for (let y = 0; y < 100; y++)
      if (y < 10 || y > 12) assert.deepEqual(row(decoded.page, y), row(slice, y), `row ${y}`);
  });

  for (const compression of ['mh', 'mr'] as const) {
    it(`${compression}: flipped bits give bad rows, rows after the damage decode again`, () => {
      const coded = encodePage(page, { compression });
      for (let i = 1000; i < 1040; i += 4) coded[i] ^= 0x5a;
      const decoded = decodePage(coded, { compression, width: page.width });
      assert.ok(decoded.badRows > 0);
      assert.ok(decoded.badRows < 20, `damage spread to ${decoded.badRows} rows`);
      assert.equal(decoded.endOfPage, true);
      // A destroyed EOL merges two rows into one, so compare the rows after the damage aligned on the page end.
      const shift = page.height - decoded.page.height;
      assert.ok(shift >= 0 && shift <= decoded.badRows);
      for (let y = page.height - 1500; y < page.height; y++) {
        assert.deepEqual(row(decoded.page, y - shift), row(page, y), `row ${y}`);
      }
    });

    it(`${compression}: truncated data marks the missing rows bad`, () => {
      const coded = encodePage(page, { compression });
      const cut = decodePage(coded.subarray(0, coded.length >> 1), { compression, width: page.width });
      assert.ok(cut.badRows >= 1);
      assert.equal(cut.endOfPage, false);
      const known = decodePage(coded.subarray(0, coded.length >> 1), {
        compression,
        width: page.width,
        height: page.height,
      });
      assert.equal(known.page.height, page.height);
      assert.ok(known.badRows > 100);
    });
  }
});

describe('damaged MMR data', () => {
  it('stops at the first bad row and repeats the last good row to the end', () => {
    const coded = encodePage(page, { compression: 'mmr' });
    const reference = decodePage(coded.subarray(0, 4000), { compression: 'mmr', width: page.width });
    const damagedAt = 4000;
    coded.fill(0, damagedAt, damagedAt + 8); // zeros are never valid mode codes
    const decoded = decodePage(coded, { compression: 'mmr', width: page.width, height: page.height });
    assert.equal(decoded.page.height, page.height);
    assert.equal(decoded.endOfPage, false);
    assert.equal(decoded.badRows, decoded.consecutiveBadRows);
    const good = page.height - decoded.badRows;
    assert.ok(good > 0 && good <= reference.page.height);
    for (let y = 0; y < good; y++) assert.deepEqual(row(decoded.page, y), row(page, y));
    for (let y = good; y < page.height; y++) assert.deepEqual(row(decoded.page, y), row(page, good - 1));
    const unknown = decodePage(coded, { compression: 'mmr', width: page.width });
    assert.equal(unknown.badRows, 1);
    assert.equal(unknown.page.height, good + 1);
  });
});

describe('row cap without a known height', () => {
  // All one bits: in MMR every bit is a V0 code, a whole white row; in MH they are white 7 / black 2 runs,
  // 192 pairs to a 1728-pixel row. Either way noise makes rows without end, so only the cap stops it.
  const noise = new Uint8Array(1 << 20).fill(0xff);

  it('stops a megabyte of 1 bits as MMR at the default of 65536 rows', () => {
    const decoded = decodePage(noise, { compression: 'mmr', width: 1728 });
    assert.equal(decoded.page.height, 65536);
    assert.equal(decoded.page.data.length, 65536 * 216);
    assert.equal(decoded.endOfPage, false);
    assert.equal(decoded.page.data.indexOf(1), -1); // V0 against white: every row white
  });

  it('honours a smaller maxRows for MH and MR, and a known height overrides it', () => {
    assert.equal(decodePage(noise, { compression: 'mh', width: 1728, maxRows: 100 }).page.height, 100);
    assert.equal(decodePage(noise, { compression: 'mr', width: 1728, maxRows: 7 }).page.height, 7);
    assert.equal(decodePage(noise, { compression: 'mmr', width: 1728, height: 300, maxRows: 10 }).page.height, 300);
  });

  it('throws DecodeError for a maxRows that is not a positive integer', () => {
    assert.throws(() => decodePage(noise, { compression: 'mmr', width: 1728, maxRows: 0 }), DecodeError);
    assert.throws(() => decodePage(noise, { compression: 'mh', width: 1728, maxRows: 2.5 }), DecodeError);
  });
});

describe('options', () => {
  it('throws DecodeError for a bad width', () => {
    assert.throws(() => decodePage(new Uint8Array(4), { compression: 'mh', width: 0 }), DecodeError);
    assert.throws(() => decodePage(new Uint8Array(4), { compression: 'mmr', width: 1.5 }), DecodeError);
    assert.equal(decodePage(new Uint8Array(0), { compression: 'mr', width: 8 }).page.height, 0);
  });
});
