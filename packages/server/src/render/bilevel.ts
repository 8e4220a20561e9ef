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

/** Opaque white and opaque black as little-endian RGBA words read signed (A in the high byte). */
const OPAQUE_WHITE = -1;
const OPAQUE_BLACK = 0xff000000 | 0;

/** Luminance 0..255 of pixel `i` of RGBA data, a transparent pixel counting as white. */
function luminance(rgba: Uint8Array, i: number): number {
  const o = i * 4;
  const lum = (rgba[o] * 77 + rgba[o + 1] * 150 + rgba[o + 2] * 29) >> 8;
  return 255 - (((255 - lum) * rgba[o + 3]) >> 8);
}

/**
 * A rendered page (RGBA, as a canvas holds it) to bilevel: black below half luminance, except mid greys of flat
 * fills, which get a clustered-dot screen so a shaded table row prints as a screen, as on Ghostscript's fax devices,
 * instead of vanishing.
 */
export function screenRgba(rgba: Uint8Array, shape: PageShape): BilevelPage {
  const page = createPage(shape);
  screenRgbaRows(rgba, page, 0);
  return page;
}

/**
 * Screens RGBA rows of the page's width (a band of a canvas's pixels) into `page` from row
 * `top` on, by the rules of screenRgba; the screen's phase follows the row's place on the page. Pure white and pure
 * black, nearly every pixel of a document, take the fast path, and a blank row is skipped by a native compare before
 * any of its pixels is looked at in JavaScript.
 */
export function screenRgbaRows(rgba: Uint8Array, page: BilevelPage, top: number): void {
  const { width } = page;
  const rows = Math.min(page.height - top, Math.floor(rgba.length / (width * 4)));
  const words = new Int32Array(rgba.buffer, rgba.byteOffset, width * rows);
  const bytes = Buffer.from(rgba.buffer, rgba.byteOffset, width * rows * 4);
  const white = Buffer.alloc(width * 4, 0xff);
  for (let y = 0; y < rows; y++) {
    if (bytes.compare(white, 0, white.length, y * width * 4, (y + 1) * width * 4) !== 0)
      screenRow(rgba, words, page, y, top + y);
  }
}

/**
 * Row `y` of the RGBA rows into row `pageY` of the page, a packed byte (eight pixels) at a time: eight white pixels,
 * most of a text row, are told by one test of their words together; the others pixel by pixel.
 */
function screenRow(rgba: Uint8Array, words: Int32Array, page: BilevelPage, y: number, pageY: number): void {
  const { width } = page;
  const row = y * width;
  const dst = pageY * page.stride;
  const matrixRow = (pageY & 7) * 8;
  for (let start = 0; start < width; start += 8) {
    const end = Math.min(width, start + 8);
    const i = row + start;
    if (
      end - start === 8 &&
      (words[i] &
        words[i + 1] &
        words[i + 2] &
        words[i + 3] &
        words[i + 4] &
        words[i + 5] &
        words[i + 6] &
        words[i + 7]) ===
        OPAQUE_WHITE
    ) {
      continue;
    }
    let byte = 0;
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
      if (black) byte |= 0x80 >> (x & 7);
    }
    page.data[dst + (start >> 3)] |= byte;
  }
}
