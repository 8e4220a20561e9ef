// Encoding of a whole page as T.4 MH (§4.1), T.4 MR (§4.2) or T.6 MMR (§2) coded data.
import { BitWriter } from '../bits/bit-writer.js';
import { findChangingElements, pageView } from './changing-elements.js';
import { encodeOneDimensionalRow, rowCodesLength } from './mh-coder.js';
import type { BilevelPage } from './page.js';
import { EOL_CODE, EOL_LENGTH } from './t4-codes.js';
import { encodeTwoDimensionalRow } from './two-dimensional-coder.js';

export interface T4EncodeSettings {
  /** 1 for MH; for MR a 1-D row every k rows. */
  k: number;
  mr: boolean;
  byteAlignEol: boolean;
  endOfPage: boolean;
}

/** MH/MR: every row starts with an EOL (plus the MR tag bit), the page ends with RTC = six EOLs. */
export function encodeT4Page(page: BilevelPage, settings: T4EncodeSettings): Uint8Array {
  const { width, height, stride, data } = page;
  const view = pageView(data);
  const writer = new BitWriter(data.length >> 3);
  const codes = new Int32Array(rowCodesLength(width));
  let coding = new Int32Array(width + 5);
  let reference = new Int32Array(width + 5);
  for (let row = 0; row < height; row++) {
    const count = findChangingElements(view, row * stride, width, coding);
    const oneDimensional = !settings.mr || row % settings.k === 0;
    writeEol(writer, settings, oneDimensional);
    writer.writeCodes(
      codes,
      oneDimensional
        ? encodeOneDimensionalRow(codes, coding, count)
        : encodeTwoDimensionalRow(codes, coding, reference, width),
    );
    const swap = reference;
    reference = coding;
    coding = swap;
  }
  if (settings.endOfPage) {
    // RTC: six EOLs; in MR each carries tag bit 1 (T.4 §4.2.4).
    for (let i = 0; i < 6; i++) writeEol(writer, settings, true);
  }
  return writer.finish();
}

function writeEol(writer: BitWriter, settings: T4EncodeSettings, oneDimensional: boolean): void {
  // Fill bits so the EOL ends on a byte boundary (T.4 §4.1.3, TIFF Group3Options bit 2).
  if (settings.byteAlignEol) writer.write(0, (12 - (writer.bitLength & 7)) & 7);
  writer.write(EOL_CODE, EOL_LENGTH);
  if (settings.mr) writer.write(oneDimensional ? 1 : 0, 1);
}

/** MMR: every row 2-D against the row above (all white above the first), then EOFB = two EOLs (T.6 §2.4). */
export function encodeMmrPage(page: BilevelPage, endOfPage: boolean): Uint8Array {
  const { width, height, stride, data } = page;
  const view = pageView(data);
  const writer = new BitWriter(data.length >> 4);
  const codes = new Int32Array(rowCodesLength(width));
  let coding = new Int32Array(width + 5);
  let reference = new Int32Array(width + 5);
  reference.fill(width, 0, 4);
  for (let row = 0; row < height; row++) {
    findChangingElements(view, row * stride, width, coding);
    writer.writeCodes(codes, encodeTwoDimensionalRow(codes, coding, reference, width));
    const swap = reference;
    reference = coding;
    coding = swap;
  }
  if (endOfPage) {
    writer.write(EOL_CODE, EOL_LENGTH);
    writer.write(EOL_CODE, EOL_LENGTH);
  }
  return writer.finish();
}
