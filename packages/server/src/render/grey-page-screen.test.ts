import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GreyPageScreen } from './grey-page-screen.js';
import { CLUSTERED_DOT_8 } from './halftone-screen.js';
import { webAssembly } from './web-assembly.js';

/** WebAssembly's page: the unit a memory's size is given in. */
const WASM_PAGE_BYTES = 65_536;

/**
 * `grey` screened as PDFium's pages are, on a heap of its own: the screen's thresholds first, then the grey pixels at
 * `at`, then the packed rows, the heap's bytes around them set to what would change the result if they were read.
 */
function screenGreyRows(grey: Uint8Array, width: number, height: number, at = 192): Uint8Array {
  const rows = at + width * height;
  const memory = new webAssembly.Memory({ initial: Math.ceil((rows + (width >> 3) * height) / WASM_PAGE_BYTES) });
  const heap = new Uint8Array(memory.buffer);
  heap.fill(grey[0] ?? 0, 0, at);
  heap.set(grey, at);
  heap.fill(0xa5, rows);
  return new GreyPageScreen(memory, 0).screen({ grey: at, rows, width, height });
}

/** The screening rule pixel by pixel, as the README states it: the reference the word-at-a-time code must match. */
function screenByRule(grey: Uint8Array, width: number, height: number): Uint8Array {
  const rows = new Uint8Array((width >> 3) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = grey[i];
      const flat = v > 24 && v < 232 && x > 0 && x < width - 1 && grey[i - 1] === v && grey[i + 1] === v;
      const black = flat ? v < CLUSTERED_DOT_8[(y & 7) * 8 + (x & 7)] : v < 128;
      if (black) rows[y * (width >> 3) + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return rows;
}

/**
 * Rows of random runs: white, black, random greys and greys at the edges of the flat-fill range. With `greyRows`
 * below 1, only that share of the rows has greys, the others being black and white only, as a page of text's are.
 */
function randomRaster(width: number, height: number, seed: number, greyRows = 1): Uint8Array {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const withGreys = random() < greyRows;
    for (let i = y * width; i < (y + 1) * width; ) {
      const length = 1 + Math.floor(random() * 40);
      const pick = withGreys ? random() : random() * 0.5;
      const edges = [24, 25, 128, 231, 232];
      const v = pick < 0.3 ? 255 : pick < 0.5 ? 0 : pick < 0.8 ? Math.floor(random() * 256) : edges[i % edges.length];
      grey.fill(v, i, Math.min(i + length, (y + 1) * width));
      i += length;
    }
  }
  return grey;
}

describe('GreyPageScreen', () => {
  it('matches the pixel-by-pixel rule on rasters of random runs', () => {
    for (const [width, seed, greyRows] of [
      [1728, 1, 1],
      [2048, 2, 1],
      [16, 3, 1],
      [1728, 4, 0.1],
      [2432, 5, 0],
    ] as const) {
      const grey = randomRaster(width, 200, seed, greyRows);
      assert.deepEqual(screenGreyRows(grey, width, 200), screenByRule(grey, width, 200));
    }
  });

  it('packs black and white pixel for pixel, and writes every byte of a row', () => {
    const width = 32;
    const grey = new Uint8Array(width * 3).fill(255);
    grey[0] = 0; // the first pixel: the first byte's top bit
    grey[15] = 0; // the second byte's lowest bit
    grey[width + 31] = 0; // the last pixel of the second row
    grey.fill(0, 2 * width, 3 * width);
    assert.deepEqual([...screenGreyRows(grey, width, 3)], [0x80, 0x01, 0, 0, 0, 0, 0, 0x01, 0xff, 0xff, 0xff, 0xff]);
  });

  it('screens a flat fill with clustered dots and keeps black text on it', () => {
    const width = 64;
    const grey = new Uint8Array(width * 16).fill(191);
    grey.fill(0, 8 * width + 16, 8 * width + 24);
    const rows = screenGreyRows(grey, width, 16);
    assert.deepEqual(rows, screenByRule(grey, width, 16));
    assert.equal(rows[8 * 8 + 2], 0xff, 'the black stretch');
    const ink = rows.reduce((sum, byte) => sum + byte.toString(2).replaceAll('0', '').length, 0) - 8;
    assert.ok(Math.abs(ink / (width * 16 - 8) - 0.25) < 0.03, `a 75 % grey inks a quarter of its pixels (${ink})`);
  });

  it('refuses a raster whose width is not a multiple of 16, or with no heap before its pixels', () => {
    assert.throws(() => screenGreyRows(new Uint8Array(24 * 2), 24, 2), RangeError);
    assert.throws(() => screenGreyRows(new Uint8Array(32 * 2), 32, 2, 0), RangeError);
  });
});
