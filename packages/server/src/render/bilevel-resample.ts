// A bilevel page that is not in fax geometry (a 300 dpi scan, say) resampled onto a fax page by area averaging, one
// fax row at a time: a fax pixel is black when more than half of the source area it covers is black. What it holds
// is the fax page and a row of sums, never a grey copy of the source page (a byte a pixel, 50 MB at the pixel limit).
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { type BilevelPage, createPage } from '@faxd/protocol/image/page';
import { fitSize, type PixelSize } from './fit-to-page.js';

/** Grey below this (0 black, 255 white) is black, as thresholdGrey draws it: a black share over 127/255. */
const BLACK_BELOW = 128;

/** A bilevel page that is not in fax geometry, resampled onto a fax page of `geometry` at its physical size. */
export function renderBitmap(source: BilevelPage, geometry: FaxGeometry): BilevelPage {
  const physical = { widthInches: source.width / source.xResolution, heightInches: source.height / source.yResolution };
  return resampleBilevel(source, fitSize(geometry, physical), geometry);
}

/**
 * `source` scaled to `size` (at most the page's size) on a white fax page of `geometry`, top-aligned and centred
 * across, as placeGrey places a picture.
 */
export function resampleBilevel(source: BilevelPage, size: PixelSize, geometry: FaxGeometry): BilevelPage {
  const page = createPage(geometry);
  const left = (geometry.width - size.width) >> 1;
  const xScale = source.width / size.width;
  const yScale = source.height / size.height;
  const blackShare = 1 - BLACK_BELOW / 255;
  const columns = columnSpans(source.width, size.width, xScale);
  const rows = new RowSums(source);
  const black = new Float64Array(size.width);
  for (let y = 0; y < size.height; y++) {
    black.fill(0);
    const top = y * yScale;
    const bottom = Math.min(source.height, (y + 1) * yScale);
    for (let row = Math.floor(top); row < bottom; row++) {
      const weight = Math.min(bottom, row + 1) - Math.max(top, row);
      if (weight <= 0) continue;
      const sums = rows.of(row);
      for (let x = 0; x < size.width; x++) {
        black[x] =
          (black[x] as number) + weight * rows.blackIn(sums, columns[2 * x] as number, columns[2 * x + 1] as number);
      }
    }
    const area = (bottom - top) * xScale;
    const line = y * page.stride;
    for (let x = 0; x < size.width; x++) {
      if ((black[x] as number) > area * blackShare) {
        const column = left + x;
        page.data[line + (column >> 3)] = (page.data[line + (column >> 3)] as number) | (0x80 >> (column & 7));
      }
    }
  }
  return page;
}

/** Where each fax column starts and ends in source columns: [start0, end0, start1, end1, …]. */
function columnSpans(sourceWidth: number, width: number, scale: number): Float64Array {
  const spans = new Float64Array(2 * width);
  for (let x = 0; x < width; x++) {
    spans[2 * x] = x * scale;
    spans[2 * x + 1] = Math.min(sourceWidth, (x + 1) * scale);
  }
  return spans;
}

/**
 * Running counts of black pixels along source rows, the last two kept: a fax row reads the rows it covers in order,
 * and when the page is enlarged consecutive fax rows read the same one or two.
 */
class RowSums {
  readonly #source: BilevelPage;
  readonly #kept: { row: number; sums: Uint32Array }[] = [];

  constructor(source: BilevelPage) {
    this.#source = source;
  }

  /** sums[i] = black pixels in columns [0, i) of source row `row`. */
  of(row: number): Uint32Array {
    const found = this.#kept.find((kept) => kept.row === row);
    if (found) return found.sums;
    const reused = this.#kept.length === 2 ? this.#kept.shift()?.sums : undefined;
    const { data, stride, width } = this.#source;
    const sums = reused ?? new Uint32Array(width + 1);
    const start = row * stride;
    let count = 0;
    for (let x = 0; x < width; x++) {
      count += ((data[start + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
      sums[x + 1] = count;
    }
    this.#kept.push({ row, sums });
    return sums;
  }

  /** Black area of the row between source columns `from` and `to` (fractions of a pixel counted in part). */
  blackIn(sums: Uint32Array, from: number, to: number): number {
    return this.#upTo(sums, to) - this.#upTo(sums, from);
  }

  #upTo(sums: Uint32Array, at: number): number {
    const whole = Math.floor(at);
    const part = at - whole;
    const before = sums[whole] as number;
    return part === 0 ? before : before + part * ((sums[whole + 1] as number) - before);
  }
}
