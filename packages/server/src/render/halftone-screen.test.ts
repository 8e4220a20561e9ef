import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTERED_DOT_8, screenGreyRows } from './halftone-screen.js';

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

/** Rows of random runs: white, black, random greys and greys at the edges of the flat-fill range. */
function randomRaster(width: number, height: number, seed: number): Uint8Array {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; ) {
    const length = 1 + Math.floor(random() * 40);
    const pick = random();
    const edges = [24, 25, 128, 231, 232];
    const v = pick < 0.3 ? 255 : pick < 0.5 ? 0 : pick < 0.8 ? Math.floor(random() * 256) : edges[i % edges.length];
    grey.fill(v, i, i + length);
    i += length;
  }
  return grey;
}

describe('screenGreyRows', () => {
  it('matches the pixel-by-pixel rule on rasters of random runs', () => {
    for (const [width, seed] of [
      [1728, 1],
      [2048, 2],
      [16, 3],
    ] as const) {
      const grey = randomRaster(width, 200, seed);
      assert.deepEqual(screenGreyRows({ grey, width, height: 200 }), screenByRule(grey, width, 200));
    }
  });

  it('screens a flat fill with clustered dots and keeps black text on it', () => {
    const width = 64;
    const grey = new Uint8Array(width * 16).fill(191);
    grey.fill(0, 8 * width + 16, 8 * width + 24);
    const rows = screenGreyRows({ grey, width, height: 16 });
    assert.deepEqual(rows, screenByRule(grey, width, 16));
    assert.equal(rows[8 * 8 + 2], 0xff, 'the black stretch');
    const ink = rows.reduce((sum, byte) => sum + byte.toString(2).replaceAll('0', '').length, 0) - 8;
    assert.ok(Math.abs(ink / (width * 16 - 8) - 0.25) < 0.03, `a 75 % grey inks a quarter of its pixels (${ink})`);
  });

  it('refuses a raster whose width is not a multiple of 8', () => {
    assert.throws(() => screenGreyRows({ grey: new Uint8Array(12 * 2), width: 12, height: 2 }), RangeError);
  });
});
