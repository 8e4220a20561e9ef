// Bilevel fax pages: packed rows, 1 bit per pixel, most significant bit leftmost, 1 = black (as PBM P4).

/** One fax page as a bitmap plus the resolution it was scanned or rendered at. */
export interface BilevelPage {
  /** Pixels per row. */
  readonly width: number;
  /** Number of rows. */
  readonly height: number;
  /** Bytes per row: ceil(width / 8). Padding bits at the end of a row are always 0. */
  readonly stride: number;
  /** Horizontal resolution in dots per inch (204 for the T.4 "R8" 8.04 pels/mm, or 300, 400). */
  readonly xResolution: number;
  /** Vertical resolution in lines per inch (98 standard, 196 fine, 391 superfine, or 300, 400). */
  readonly yResolution: number;
  /** height × stride bytes. */
  readonly data: Uint8Array;
}

export interface PageShape {
  width: number;
  height: number;
  xResolution: number;
  yResolution: number;
}

/** An all-white page of the given shape. */
export function createPage(shape: PageShape): BilevelPage {
  if (!Number.isInteger(shape.width) || shape.width <= 0) throw new RangeError(`bad page width ${shape.width}`);
  if (!Number.isInteger(shape.height) || shape.height < 0) throw new RangeError(`bad page height ${shape.height}`);
  const stride = (shape.width + 7) >> 3;
  return { ...shape, stride, data: new Uint8Array(stride * shape.height) };
}

/** Wraps existing packed rows; the caller guarantees `data` holds height × ceil(width/8) bytes. */
export function pageFromRows(shape: PageShape, data: Uint8Array): BilevelPage {
  const stride = (shape.width + 7) >> 3;
  if (data.length !== stride * shape.height) {
    throw new RangeError(`page data is ${data.length} bytes, expected ${stride * shape.height}`);
  }
  return { ...shape, stride, data };
}

/** True when both pages have the same size and the same pixels (resolution is not compared). */
export function samePixels(a: BilevelPage, b: BilevelPage): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  const n = a.data.length;
  for (let i = 0; i < n; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}
