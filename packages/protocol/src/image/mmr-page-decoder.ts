// Decoding of a T.6 (MMR) page: 2-D rows back to back from an all-white reference, ended by EOFB (T.6 §2.4).
import { BitReader } from '../bits/bit-reader.js';
import type { RowSink } from './page-rows.js';
import { EOL_CODE, EOL_LENGTH } from './t4-codes.js';
import { decodeTwoDimensionalRow } from './two-dimensional-coder.js';

/**
 * Decodes rows into `rows` until it is full, EOFB or the end of data; returns true when the page ended with EOFB.
 * T.6 has no EOL to resynchronise on, so the first damaged row ends decoding: it (or, with a known height,
 * every remaining row) repeats the last good row.
 */
export function decodeMmrPage(data: Uint8Array, rows: RowSink): boolean {
  const { width } = rows;
  const reader = new BitReader(data);
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
  return endOfPage;
}
