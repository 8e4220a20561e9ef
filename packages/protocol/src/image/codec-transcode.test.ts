// transcodePage: recoding without a bitmap gives the very bytes decoding and encoding again give, damage included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ituChartPath } from '../testing/paths.js';
import { readPbm } from '../testing/pbm.js';
import {
  type Compression,
  type DecodeOptions,
  decodePage,
  type EncodeOptions,
  encodePage,
  transcodePage,
} from './codec.js';
import type { BilevelPage } from './page.js';

const COMPRESSIONS: readonly Compression[] = ['mh', 'mr', 'mmr'];

/** Transcodes and checks the result against decode-then-encode, byte for byte, with the same damage counted. */
function assertSameAsBitmapPath(data: Uint8Array, from: DecodeOptions, to: EncodeOptions, label: string): void {
  const decoded = decodePage(data, from);
  const expected = encodePage(decoded.page, to);
  const transcoded = transcodePage(data, from, to);
  assert.deepEqual(transcoded.data, expected, label);
  assert.equal(transcoded.height, decoded.page.height, `${label}: height`);
  assert.equal(transcoded.badRows, decoded.badRows, `${label}: bad rows`);
  assert.equal(transcoded.consecutiveBadRows, decoded.consecutiveBadRows, `${label}: consecutive bad rows`);
  assert.equal(transcoded.endOfPage, decoded.endOfPage, `${label}: end of page`);
}

/** A chart page at the given resolution: MR's K follows it (2 at standard, 4 above). */
function chart(n: number, yResolution: number): BilevelPage {
  return { ...readPbm(ituChartPath(n)), yResolution };
}

describe('transcodePage', () => {
  for (const from of COMPRESSIONS) {
    for (const to of COMPRESSIONS) {
      it(`${from} to ${to}: the bytes decodePage then encodePage give`, () => {
        for (const [n, yResolution] of [
          [1, 196],
          [4, 98],
          [7, 196],
        ]) {
          const page = chart(n, yResolution);
          const data = encodePage(page, { compression: from, byteAlignEol: from === 'mh' });
          const options = { compression: from, width: page.width, yResolution };
          assertSameAsBitmapPath(data, options, { compression: to }, `chart ${n}`);
          assertSameAsBitmapPath(
            data,
            { ...options, height: page.height },
            { compression: to, byteAlignEol: true },
            `chart ${n}, known height`,
          );
          const decoded = decodePage(data, options).page;
          assert.ok(decoded.height === page.height, 'the chart decodes whole');
        }
      });
    }
  }

  it('recodes damaged rows as the decoded bitmap shows them: flipped bits in MH and MR, a cut in MMR', () => {
    const page = chart(1, 196);
    for (const from of ['mh', 'mr'] as const) {
      const data = encodePage(page, { compression: from });
      for (let i = 1000; i < 1040; i += 4) data[i] ^= 0x5a;
      assert.ok(decodePage(data, { compression: from, width: page.width }).badRows > 0, 'the damage is seen');
      for (const to of COMPRESSIONS) {
        assertSameAsBitmapPath(data, { compression: from, width: page.width }, { compression: to }, `${from} to ${to}`);
      }
    }
    // A bad first row repeats the white row above the page, which the encoder holds before any row came.
    const firstRowBad = encodePage(page, { compression: 'mh' });
    firstRowBad.fill(0xff, 2, 6);
    const options = { compression: 'mh' as const, width: page.width, height: page.height };
    assert.ok(decodePage(firstRowBad, options).badRows > 0, 'the first row damage is seen');
    for (const to of COMPRESSIONS)
      assertSameAsBitmapPath(firstRowBad, options, { compression: to }, `bad first row to ${to}`);
    const mmr = encodePage(page, { compression: 'mmr' });
    mmr.fill(0, 4000, 4008); // zeros are never valid mode codes
    for (const to of COMPRESSIONS) {
      const options = { compression: 'mmr' as const, width: page.width, height: page.height };
      assertSameAsBitmapPath(mmr, options, { compression: to }, `mmr to ${to}, known height`);
      assertSameAsBitmapPath(
        mmr.subarray(0, 3000),
        { ...options, height: undefined },
        { compression: to },
        `cut mmr to ${to}`,
      );
    }
  });

  it('refuses the options decodePage refuses', () => {
    const data = encodePage(chart(1, 196), { compression: 'mmr' });
    assert.throws(() => transcodePage(data, { compression: 'mmr', width: 0 }, { compression: 'mh' }), /bad page width/);
    assert.throws(
      () => transcodePage(data, { compression: 'mmr', width: 1728 }, { compression: 'mr', k: 0 }),
      /bad MR K/,
    );
  });
});
