// The clustered-dot screen that grey fills of rendered documents print with, and the screening of a PDF page's grey
// pixels into packed bilevel rows. Only types come from @faxd/protocol, so a rendering thread loads nothing else.

/**
 * An 8 × 8 clustered-dot screen as 0..255 thresholds: cells darken from the centre outwards, so a grey fill prints
 * as round dots. Dispersed (Bayer) dots would look smoother but put a colour change every few pixels, which T.4/T.6
 * coding handles worst: a shaded page grew from 17 KB to 250 KB in MMR and took minutes to send.
 */
export const CLUSTERED_DOT_8 = (() => {
  const size = 8;
  const centre = (size - 1) / 2;
  const cells = Array.from({ length: size * size }, (_, i) => {
    const dx = (i % size) - centre;
    const dy = Math.floor(i / size) - centre;
    return { i, distance: dx * dx + dy * dy, angle: Math.atan2(dy, dx) };
  }).sort((a, b) => a.distance - b.distance || a.angle - b.angle);
  const out = new Uint8Array(size * size);
  for (const [rank, cell] of cells.entries()) out[cell.i] = Math.round(((rank + 0.5) * 256) / (size * size));
  return out;
})();

/** SCREEN_BYTES[(y & 7) * 256 + v]: eight pixels of a flat grey v on row y of the screen, as one packed byte. */
const SCREEN_BYTES = (() => {
  const out = new Uint8Array(8 * 256);
  for (let row = 0; row < 8; row++) {
    for (let v = 0; v < 256; v++) {
      for (let bit = 0; bit < 8; bit++)
        if (v < (CLUSTERED_DOT_8[row * 8 + bit] as number)) out[row * 256 + v] |= 0x80 >> bit;
    }
  }
  return out;
})();

/** A grey raster: one byte a pixel, 255 white, rows `width` bytes apart. */
export interface GreyRaster {
  readonly grey: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Eight pixels from column `x` of the row starting at `row`, one by one, as one packed byte. */
function screenPixels({ grey, width }: GreyRaster, row: number, x: number, y: number): number {
  let byte = 0;
  const matrixRow = (y & 7) * 8;
  for (let bit = 0; bit < 8; bit++, x++) {
    const i = row + x;
    const v = grey[i] as number;
    if (v === 255) continue;
    const flat = v > 24 && v < 232 && x > 0 && x < width - 1 && grey[i - 1] === v && grey[i + 1] === v;
    if (flat ? v < (CLUSTERED_DOT_8[matrixRow + bit] as number) : v < 128) byte |= 0x80 >> bit;
  }
  return byte;
}

/** The packed byte for eight pixels of grey `v` from column `x` when they lie inside a flat fill, else -1. */
function flatFillByte({ grey, width }: GreyRaster, row: number, x: number, y: number, v: number): number {
  const inside = v > 24 && v < 232 && x > 0 && x + 8 < width && grey[row + x - 1] === v && grey[row + x + 8] === v;
  return inside ? (SCREEN_BYTES[(y & 7) * 256 + v] as number) : -1;
}

/** True when each of the word's four grey pixels is pure black or pure white (all eight bits of a byte equal). */
function blackOrWhite(word: number): boolean {
  return ((word ^ (word >> 1)) & 0x7f7f7f7f) === 0;
}

/**
 * Eight pixels, each 0 or 255, from the two words holding them, as one packed byte. Pixel n of the eight is byte n % 4
 * of its word (the words are read little-endian, as screenRow's are); its white bit is bit 7 - n of that byte, so the
 * mask takes each pixel's own bit at a place no other pixel's takes, and folding the four bytes together packs them.
 */
function inkByte(low: number, high: number): number {
  const white = (low & 0x10204080) | (high & 0x01020408);
  return ((white | (white >>> 8) | (white >>> 16) | (white >>> 24)) & 0xff) ^ 0xff;
}

/** Row `y` into `rows`, eight pixels a byte, from `words`: the raster four pixels at a time. */
function screenRow(raster: GreyRaster, words: Int32Array, rows: Uint8Array, y: number): void {
  const stride = raster.width >> 3;
  const row = y * raster.width;
  const dst = y * stride;
  for (let b = 0, w = row >> 2; b < stride; b++, w += 2) {
    const low = words[w] as number;
    const high = words[w + 1] as number;
    if ((low & high) === -1) continue;
    if (blackOrWhite(low) && blackOrWhite(high)) {
      rows[dst + b] = inkByte(low, high);
      continue;
    }
    const v = low & 0xff;
    const flat = low === high && low === Math.imul(v, 0x01010101) ? flatFillByte(raster, row, b << 3, y, v) : -1;
    rows[dst + b] = flat >= 0 ? flat : screenPixels(raster, row, b << 3, y);
  }
}

/**
 * A grey raster (as PDFium draws a page into a bitmap) to packed bilevel rows, 1 = black, most significant bit
 * first: black below half luminance, except mid greys of flat fills, which get the clustered-dot screen, the rules
 * of screenRgba. The width must be a multiple of 8, as every fax width is, so that a packed byte covers two aligned
 * words of grey, and eight white pixels read as two words of -1.
 */
export function screenGreyRows(raster: GreyRaster): Uint8Array<ArrayBuffer> {
  const { grey, width, height } = raster;
  if ((width & 7) !== 0 || (grey.byteOffset & 3) !== 0 || grey.length < width * height) {
    throw new RangeError(`a ${width} × ${height} grey raster must be a multiple of 8 wide and word-aligned`);
  }
  const words = new Int32Array(grey.buffer, grey.byteOffset, (width * height) >> 2);
  const rows = new Uint8Array((width >> 3) * height);
  // Most rows of a document are blank paper: a native compare skips them without a loop in JavaScript, which matters
  // most on the first pages of a short conversion, before the loop has been compiled.
  const bytes = Buffer.from(grey.buffer, grey.byteOffset, width * height);
  const white = Buffer.alloc(width, 0xff);
  for (let y = 0; y < height; y++) {
    if (bytes.compare(white, 0, width, y * width, (y + 1) * width) !== 0) screenRow(raster, words, rows, y);
  }
  return rows;
}
