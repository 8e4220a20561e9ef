// Bilevel pages that are not in fax geometry, resampled by area: exact on whole factors both ways, and a scan's marks
// land on the fax page where they were on paper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faxGeometry } from '@faxd/protocol/image/geometry';
import { type BilevelPage, createPage } from '@faxd/protocol/image/page';
import { writeTiffClassF } from '@faxd/protocol/image/tiff/tiff-writer';
import fc from 'fast-check';
import { loadDocumentPages } from '../documents/load-pages.js';
import { resampleBilevel } from './bilevel-resample.js';
import { fitSize } from './fit-to-page.js';

const black = (page: BilevelPage, x: number, y: number) =>
  (((page.data[y * page.stride + (x >> 3)] as number) >> (7 - (x & 7))) & 1) === 1;

function paint(page: BilevelPage, x: number, y: number): void {
  page.data[y * page.stride + (x >> 3)] = (page.data[y * page.stride + (x >> 3)] as number) | (0x80 >> (x & 7));
}

const SHAPE = { xResolution: 204, yResolution: 196 };

describe('resampleBilevel', () => {
  it('shrinks by whole factors to the majority of each block (black past 127/255 of it)', () => {
    const page = fc.record({
      factor: fc.integer({ min: 1, max: 4 }),
      width: fc.integer({ min: 1, max: 12 }),
      height: fc.integer({ min: 1, max: 12 }),
      seed: fc.array(fc.boolean(), { minLength: 48 * 48, maxLength: 48 * 48 }),
    });
    fc.assert(
      fc.property(page, ({ factor, width, height, seed }) => {
        const source = createPage({ width: width * factor, height: height * factor, ...SHAPE });
        for (let y = 0; y < source.height; y++)
          for (let x = 0; x < source.width; x++) if (seed[y * 48 + x]) paint(source, x, y);
        const geometry = { width: width + 6, height, ...SHAPE };
        const result = resampleBilevel(source, { width, height }, geometry);
        const left = 3;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < geometry.width; x++) {
            let count = 0;
            if (x >= left && x < left + width) {
              for (let dy = 0; dy < factor; dy++)
                for (let dx = 0; dx < factor; dx++)
                  if (black(source, (x - left) * factor + dx, y * factor + dy)) count++;
            }
            assert.equal(black(result, x, y), count / (factor * factor) > 127 / 255, `pixel ${x},${y}`);
          }
        }
      }),
    );
  });

  it('enlarges each source pixel to the block it covers', () => {
    const source = createPage({ width: 3, height: 2, ...SHAPE });
    paint(source, 1, 0);
    paint(source, 2, 1);
    const result = resampleBilevel(source, { width: 9, height: 6 }, { width: 9, height: 6, ...SHAPE });
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 9; x++)
        assert.equal(black(result, x, y), black(source, Math.floor(x / 3), Math.floor(y / 3)));
    }
  });
});

describe('a TIFF page that is not in fax geometry', () => {
  it('is resampled to the fax page at its physical size, its marks where they were on paper', async () => {
    // A 300 dpi scan of A4 with a black 1-inch square 2 inches from the left and 3 from the top.
    const scan = createPage({ width: 2480, height: 3508, xResolution: 300, yResolution: 300 });
    for (let y = 900; y < 1200; y++) for (let x = 600; x < 900; x++) paint(scan, x, y);
    const tiff = writeTiffClassF([scan], { compression: 'mmr' });
    const [page] = await loadDocumentPages(tiff, { paper: 'a4', resolution: 'fine' });
    assert.ok(page);
    const geometry = faxGeometry('a4', 'fine');
    assert.deepEqual([page.width, page.height, page.xResolution, page.yResolution], [1728, geometry.height, 204, 196]);
    const size = fitSize(geometry, { widthInches: 2480 / 300, heightInches: 3508 / 300 });
    const left = (geometry.width - size.width) >> 1;
    const across = (x: number) => left + (x * size.width) / 2480;
    const down = (y: number) => (y * size.height) / 3508;
    const [x0, x1, y0, y1] = [across(600), across(900), down(900), down(1200)];
    assert.ok(x0 > 400 && x1 - x0 > 200 && y1 - y0 > 190, `the square on the page: ${[x0, x1, y0, y1]}`);
    for (let y = 0; y < page.height; y++) {
      for (let x = 0; x < page.width; x++) {
        const inside = x >= x0 + 1 && x < x1 - 1 && y >= y0 + 1 && y < y1 - 1;
        const outside = x < x0 - 1 || x >= x1 + 1 || y < y0 - 1 || y >= y1 + 1;
        if (inside) assert.ok(black(page, x, y), `black inside the square at ${x},${y}`);
        if (outside) assert.ok(!black(page, x, y), `white outside the square at ${x},${y}`);
      }
    }
  });
});
