// Decoding of a T.6 (MMR) page: 2-D rows back to back from an all-white reference, ended by EOFB (T.6 §2.4).
import { BitReader } from '../bits/bit-reader.js';
import { PageRows } from './page-rows.js';
import { EOL_CODE, EOL_LENGTH } from './t4-codes.js';
import { decodeTwoDimensionalRow } from './two-dimensional-coder.js';

export interface MmrDecodeResult {
  rows: PageRows;
  endOfPage: boolean;
}

/**
 * Decodes rows until `height` rows (`maxRows` when the height is unknown), EOFB or the end of data.
 * T.6 has no EOL to resynchronise on, so the first damaged row ends decoding: it (or, with a known height,
 * every remaining row) repeats the last good row.
 */
export function decodeMmrPage(
  data: Uint8Array,
  width: number,
  height: number | undefined,
  maxRows: number,
): MmrDecodeResult {
  const reader = new BitReader(data);
  const rows = new PageRows(width, height, maxRows);
  let coding = new Int32Array(width + 5);
  let reference = new Int32Array(width + 5);
  reference.fill(width, 0, 4);
  let endOfPage = false;
  while (!rows.full && !reader.onlyZerosLeft()) {
    if (reader.peek(EOL_LENGTH) === EOL_CODE) {
      endOfPage = true;
      break;
    }
    const count = decodeTwoDimensionalRow(reader, reference, width, coding);
    if (count < 0 || reader.position > reader.totalBits) {
      rows.addBadRow();
      break;
    }
    rows.addRow(coding, count);
    const swap = reference;
    reference = coding;
    coding = swap;
  }
  rows.fillMissingRows();
  return { rows, endOfPage };
}
