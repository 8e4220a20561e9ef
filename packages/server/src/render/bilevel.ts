// Grey to bilevel. Rendered documents (PDF, text) are thresholded at half luminance: text and line art stay crisp, as
// with Ghostscript's fax devices. Photographs and other continuous-tone images are dithered by error diffusion
// (Floyd–Steinberg), so their tones survive as dot density; an image that is already two-tone is thresholded.
import { type BilevelPage, createPage, type PageShape } from '@faxd/protocol';

/** Luminance 0..255 of each RGBA pixel, transparent treated as white. */
export function greyFromRgba(rgba: Uint8Array | Uint8ClampedArray, pixels: number): Uint8Array {
  const grey = new Uint8Array(pixels);
  for (let i = 0, p = 0; p < pixels; p++, i += 4) {
    const alpha = rgba[i + 3];
    const lum = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
    grey[p] = 255 - (((255 - lum) * alpha) >> 8);
  }
  return grey;
}

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

/** 8 × 8 Bayer matrix scaled to 0..255 thresholds, for ordered dithering of flat grey fills. */
const BAYER_8 = (() => {
  const size = 8;
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 0;
      for (let bit = 0, xx = x, yy = x ^ y; bit < 3; bit++, xx >>= 1, yy >>= 1)
        v = (v << 2) | ((yy & 1) << 1) | (xx & 1);
      out[y * size + x] = Math.round(((v + 0.5) * 256) / 64);
    }
  }
  return out;
})();

/**
 * Rendered pages: black below half luminance, except mid greys of flat fills, which get an ordered dither so a
 * shaded table row prints as a screen, as on Ghostscript's fax devices, instead of vanishing.
 */
export function screenGrey(grey: Uint8Array, shape: PageShape): BilevelPage {
  const page = createPage(shape);
  const { width, height } = shape;
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * page.stride;
    const matrixRow = (y & 7) * 8;
    for (let x = 0; x < width; x++) {
      const v = grey[src + x];
      const flat = v > 24 && v < 232 && grey[src + x - 1] === v && grey[src + x + 1] === v;
      const black = flat ? v < BAYER_8[matrixRow + (x & 7)] : v < 128;
      if (black) page.data[dst + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return page;
}
