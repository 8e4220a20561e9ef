// Grey to bilevel. Rendered documents (PDF, text) are thresholded at half luminance: text and line art stay crisp, as
// with Ghostscript's fax devices. Photographs and other continuous-tone images are dithered by error diffusion
// (Floyd–Steinberg), so their tones survive as dot density; an image that is already two-tone is thresholded.
import { type BilevelPage, createPage, type PageShape } from '@faxd/protocol/image/page';
import { CLUSTERED_DOT_8 } from './halftone-screen.js';

/** Packs grey pixels (width × height) into a page: black where grey < 128. */
export function thresholdGrey(grey: Uint8Array, shape: PageShape): BilevelPage {
  const page = createPage(shape);
  const { width, height, stride } = { ...shape, stride: page.stride };
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * stride;
    for (let x = 0; x < width; x++) if (grey[src + x] < 128) page.data[dst + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return page;
}

/** True when at most 2 % of pixels are mid-grey: the image is line art or text, so thresholding loses nothing. */
export function isTwoTone(grey: Uint8Array): boolean {
  let mid = 0;
  for (let i = 0; i < grey.length; i++) if (grey[i] > 48 && grey[i] < 208) mid++;
  return mid <= grey.length * 0.02;
}

/** Floyd–Steinberg error diffusion over grey pixels (width × height), packed into a page. */
export function ditherGrey(grey: Uint8Array, shape: PageShape): BilevelPage {
  const page = createPage(shape);
  const { width, height } = shape;
  let current = new Int16Array(width + 2);
  let next = new Int16Array(width + 2);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const dst = y * page.stride;
    for (let x = 0; x < width; x++) {
      const value = grey[row + x] + current[x + 1];
      const black = value < 128;
      const error = black ? value : value - 255;
      if (black) page.data[dst + (x >> 3)] |= 0x80 >> (x & 7);
      current[x + 2] += (error * 7) >> 4;
      next[x] += (error * 3) >> 4;
      next[x + 1] += (error * 5) >> 4;
      next[x + 2] += error >> 4;
    }
    [current, next] = [next, current];
    next.fill(0);
  }
  return page;
}

const OPAQUE_WHITE = 0xffffffff;
const CHUNK_PIXELS = 64;
/** Opaque black as a little-endian RGBA word (A in the high byte). */
const OPAQUE_BLACK = 0xff000000;

/** Luminance 0..255 of pixel `i` of RGBA data, a transparent pixel counting as white. */
function luminance(rgba: Uint8Array, i: number): number {
  const o = i * 4;
  const lum = (rgba[o] * 77 + rgba[o + 1] * 150 + rgba[o + 2] * 29) >> 8;
  return 255 - (((255 - lum) * rgba[o + 3]) >> 8);
}

/**
 * A rendered page (RGBA, as a canvas holds it) to bilevel: black below half luminance, except mid greys of flat
 * fills, which get a clustered-dot screen so a shaded table row prints as a screen, as on Ghostscript's fax devices,
 * instead of vanishing. Pure white and pure black, nearly every pixel of a document, take the fast path.
 */
export function screenRgba(rgba: Buffer, shape: PageShape): BilevelPage {
  const page = createPage(shape);
  const { width, height } = shape;
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
  const white = Buffer.alloc(CHUNK_PIXELS * 4, 0xff);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let start = 0; start < width; start += CHUNK_PIXELS) {
      const end = Math.min(width, start + CHUNK_PIXELS);
      // Most of a document page is paper: a native compare skips a white stretch without touching its pixels in JS.
      if (
        end - start === CHUNK_PIXELS &&
        rgba.compare(white, 0, white.length, (row + start) * 4, (row + end) * 4) === 0
      ) {
        continue;
      }
      screenPixels(rgba, words, page, y, start, end);
    }
  }
  return page;
}

/** Pixels start..end of row y, one by one. */
function screenPixels(
  rgba: Buffer,
  words: Uint32Array,
  page: BilevelPage,
  y: number,
  start: number,
  end: number,
): void {
  const { width } = page;
  const row = y * width;
  const dst = y * page.stride;
  const matrixRow = (y & 7) * 8;
  for (let x = start; x < end; x++) {
    const word = words[row + x];
    if (word === OPAQUE_WHITE) continue;
    let black = word === OPAQUE_BLACK;
    if (!black) {
      const v = luminance(rgba, row + x);
      const flat =
        v > 24 && v < 232 && x > 0 && x < width - 1 && words[row + x - 1] === word && words[row + x + 1] === word;
      black = flat ? v < CLUSTERED_DOT_8[matrixRow + (x & 7)] : v < 128;
    }
    if (black) page.data[dst + (x >> 3)] |= 0x80 >> (x & 7);
  }
}
