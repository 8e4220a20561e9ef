// Property tests: decode(encode(page)) is the identity for every coding, and arbitrary bytes never throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodePage, type EncodeOptions, encodePage } from './codec.js';
import { type BilevelPage, pageFromRows } from './page.js';

/** Pages built from random runs, so both short and very long runs (past 2560) occur. */
const pages: fc.Arbitrary<BilevelPage> = fc
  .record({
    width: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 5000 })),
    height: fc.integer({ min: 0, max: 12 }),
    runs: fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3000 })), { maxLength: 400 }),
    repeat: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ width, height, runs, repeat }) => {
    const stride = (width + 7) >> 3;
    const data = new Uint8Array(stride * height);
    let r = 0;
    for (let y = 0; y < height; y++) {
      // Some rows repeat the one above so 2-D coding sees pass and vertical modes often.
      if (y > 0 && (runs[y] ?? 0) % 10 < repeat * 10) {
        data.copyWithin(y * stride, (y - 1) * stride, y * stride);
        continue;
      }
      let x = 0;
      let black = (r & 1) === 1;
      while (x < width && runs.length > 0) {
        const run = runs[r++ % runs.length];
        if (black) for (let i = x; i < Math.min(width, x + run); i++) data[y * stride + (i >> 3)] |= 0x80 >> (i & 7);
        x += run;
        black = !black;
      }
    }
    return pageFromRows({ width, height, xResolution: 204, yResolution: 98 }, data);
  });

const OPTIONS: EncodeOptions[] = [
  { compression: 'mh' },
  { compression: 'mh', byteAlignEol: true, endOfPage: false },
  { compression: 'mr', k: 2 },
  { compression: 'mr', k: 4, byteAlignEol: true },
  { compression: 'mr', k: 3, endOfPage: false },
  { compression: 'mmr' },
  { compression: 'mmr', endOfPage: false },
];

describe('decode(encode(page)) = page', () => {
  for (const options of OPTIONS) {
    it(JSON.stringify(options), () => {
      fc.assert(
        fc.property(pages, (page) => {
          const coded = encodePage(page, options);
          // The same pixels in a view at an odd byte offset (the encoders' word scan needs aligned memory) code alike.
          const unaligned = new Uint8Array(page.data.length + 1).subarray(1);
          unaligned.set(page.data);
          assert.deepEqual(encodePage({ ...page, data: unaligned }, options), coded);
          const known = decodePage(coded, { compression: options.compression, width: page.width, height: page.height });
          assert.equal(known.badRows, 0);
          assert.deepEqual(known.page.data, page.data);
          const open = decodePage(coded, { compression: options.compression, width: page.width });
          assert.equal(open.endOfPage, options.endOfPage ?? true);
          assert.equal(open.badRows, 0);
          assert.equal(open.page.height, page.height);
          assert.deepEqual(open.page.data, page.data);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('arbitrary bytes', () => {
  for (const compression of ['mh', 'mr', 'mmr'] as const) {
    it(`${compression}: never throws and keeps padding bits zero`, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 600 }),
          fc.integer({ min: 1, max: 300 }),
          fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
          (bytes, width, height) => {
            const decoded = decodePage(bytes, { compression, width, height });
            if (height !== undefined) assert.equal(decoded.page.height, height);
            assert.ok(decoded.consecutiveBadRows <= decoded.badRows);
            const { stride } = decoded.page;
            const mask = 0xff >> (width & 7 || 8);
            for (let y = 0; y < decoded.page.height; y++) {
              assert.equal(decoded.page.data[y * stride + stride - 1] & mask, 0);
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
