// Encoding of a whole page as T.4 MH (§4.1), T.4 MR (§4.2) or T.6 MMR (§2) coded data, row by row.
import { BitWriter } from '../bits/bit-writer.js';
import { findChangingElements, pageView } from './changing-elements.js';
import { rowCodesLength } from './mh-coder.js';
import type { BilevelPage } from './page.js';
import { RowSink } from './page-rows.js';
import { type Code, EOL_CODE, EOL_LENGTH, RUN_CODES, VERTICAL_CODES } from './t4-codes.js';
import { encodeTwoDimensionalRow } from './two-dimensional-coder.js';

/** V(0), the code of a 2-D row that is blank under a blank row (T.4 §4.2.1.3.2: a1 = b1 = the row's end). */
const V0 = VERTICAL_CODES[3] as Code;

export interface PageCoding {
  /** T.6 MMR: every row 2-D, no EOLs; otherwise T.4 with an EOL before every row. */
  mmr: boolean;
  /** T.4 MR: a 1-D row every k rows, 2-D rows between; false for MH. */
  mr: boolean;
  /** MR: a 1-D row at least every k rows. */
  k: number;
  /** T.4: fill bits so every EOL ends on a byte boundary (TIFF Group3Options bit 2). */
  byteAlignEol: boolean;
}

/**
 * Codes each row it is given, from its changing elements: the sink a page decoder fills when a page is transcoded
 * without a bitmap between, and what encodePage feeds from a bitmap. Bad rows repeat the row above, as a decoded
 * bitmap would show them.
 */
export class RowEncoder extends RowSink {
  private readonly coding: PageCoding;
  private readonly writer: BitWriter;
  /** A 2-D row's codes, listed before they are written. */
  private readonly codes: Int32Array;
  /**
   * The changing elements of the row above (white above the first row), with the width sentinels: the reference
   * of a 2-D row, and the row a bad row repeats.
   */
  private readonly reference: Int32Array;
  private referenceCount = 0;

  /** `expectedBytes` sizes the first buffer; it grows as needed. */
  constructor(width: number, height: number | undefined, maxRows: number, coding: PageCoding, expectedBytes: number) {
    super(width, height, maxRows);
    this.coding = coding;
    this.writer = new BitWriter(expectedBytes);
    this.codes = new Int32Array(rowCodesLength(width));
    this.reference = new Int32Array(width + 5);
    this.reference.fill(width, 0, 4);
  }

  protected storeRow(changes: Int32Array, count: number): void {
    const { writer, codes, reference, coding } = this;
    const oneDimensional = !coding.mmr && (!coding.mr || this.rows % coding.k === 0);
    if (!coding.mmr) this.writeEol(oneDimensional);
    if (!oneDimensional && count === 0 && this.referenceCount === 0) {
      // Most rows of a page are blank paper under blank paper: one bit, and the reference (all sentinels) stays.
      writer.write(V0.value, V0.length);
      return;
    }
    if (oneDimensional) writer.writeRuns(changes, count, RUN_CODES);
    else writer.writeCodes(codes, encodeTwoDimensionalRow(codes, changes, reference, this.width));
    // The caller may reuse `changes` for the next row; the sentinels come along. (A repeated row copies onto itself.)
    if (changes !== reference) for (let i = 0; i < count + 4; i++) reference[i] = changes[i];
    this.referenceCount = count;
  }

  protected repeatRow(): void {
    this.storeRow(this.reference, this.referenceCount);
  }

  /** The coded page, ended by RTC (T.4) or EOFB (T.6) when `endOfPage`; MSB first, padded to a whole byte. */
  finish(endOfPage: boolean): Uint8Array {
    if (endOfPage && this.coding.mmr) {
      // EOFB: two EOLs (T.6 §2.4).
      this.writer.write(EOL_CODE, EOL_LENGTH);
      this.writer.write(EOL_CODE, EOL_LENGTH);
    } else if (endOfPage) {
      // RTC: six EOLs; in MR each carries tag bit 1 (T.4 §4.2.4).
      for (let i = 0; i < 6; i++) this.writeEol(true);
    }
    return this.writer.finish();
  }

  private writeEol(oneDimensional: boolean): void {
    const { writer, coding } = this;
    // Fill bits so the EOL ends on a byte boundary (T.4 §4.1.3, TIFF Group3Options bit 2).
    if (coding.byteAlignEol) writer.write(0, (12 - (writer.bitLength & 7)) & 7);
    writer.write(EOL_CODE, EOL_LENGTH);
    if (coding.mr) writer.write(oneDimensional ? 1 : 0, 1);
  }
}

/** Codes a bitmap page: MH/MR rows each after an EOL (plus the MR tag bit), MMR rows 2-D from an all-white start. */
export function encodeBitmapPage(page: BilevelPage, coding: PageCoding, endOfPage: boolean): Uint8Array {
  const { width, height, stride, data } = page;
  const view = pageView(data);
  // Fax pages code to roughly a tenth (MH) or a twentieth (MMR) of their bitmap, dense ones (ITU chart 4) to a fifth
  // (MH): room for those from the start, as growing the buffer mid-page makes V8 drop the optimised row loop.
  const encoder = new RowEncoder(width, height, height, coding, data.length >> 2);
  const changes = new Int32Array(width + 5);
  for (let row = 0; row < height; row++)
    encoder.addRow(changes, findChangingElements(view, row * stride, width, changes));
  return encoder.finish(endOfPage);
}
