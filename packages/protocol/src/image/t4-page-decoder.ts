// Decoding of a T.4 page (MH §4.1 or MR §4.2): EOL-framed rows, error recovery at the next EOL, RTC detection.
import { BitReader } from '../bits/bit-reader.js';
import { decodeOneDimensionalRow } from './mh-decoder.js';
import type { RowSink } from './page-rows.js';
import { EOL_CODE, EOL_LENGTH } from './t4-codes.js';
import { decodeTwoDimensionalRow } from './two-dimensional-coder.js';

const EOL_MASK = (1 << EOL_LENGTH) - 1;

/**
 * Decodes rows into `rows` until it is full, RTC (two EOLs with no row between, T.4 §4.1.4) or the end of data;
 * returns true when the page ended with RTC.
 * A row that does not decode cleanly up to the next EOL is bad: it repeats the row above and decoding
 * resumes at that EOL, so damage stays local (T.4 §4.1.2 note on error recovery).
 */
export function decodeT4Page(data: Uint8Array, rows: RowSink, mr: boolean): boolean {
  const { width } = rows;
  const reader = new BitReader(data);
  let coding = new Int32Array(width + 5);
  let reference = new Int32Array(width + 5);
  reference.fill(width, 0, 4);
  let endOfPage = false;
  while (!rows.full && !reader.onlyZerosLeft()) {
    const sawEol = readEol(reader);
    if (sawEol === undefined) break;
    // MR: the bit after each EOL tells whether the row is 1-D (1) or 2-D (0); without an EOL assume 1-D. The tag bit
    // and the 12 bits after it come from one peek.
    let oneDimensional = true;
    if (sawEol) {
      const ahead = reader.peek(EOL_LENGTH + 1);
      if (mr) {
        oneDimensional = ahead >>> EOL_LENGTH === 1;
        reader.skip(1);
      }
      if ((mr ? ahead & EOL_MASK : ahead >>> 1) <= EOL_CODE) {
        // Another EOL right away: the first EOLs of RTC, unless only padding follows a final EOL.
        endOfPage = !reader.onlyZerosLeft();
        break;
      }
    }
    const rowStart = reader.position;
    const count = oneDimensional
      ? decodeOneDimensionalRow(reader, width, coding)
      : decodeTwoDimensionalRow(reader, reference, width, coding);
    if (count >= 0 && reader.position <= reader.totalBits && (!sawEol || endsAtEol(reader))) {
      rows.addRow(coding, count);
      const swap = reference;
      reference = coding;
      coding = swap;
    } else {
      rows.addBadRow();
      reader.seek(rowStart);
      skipToEol(reader);
    }
  }
  rows.fillMissingRows();
  return endOfPage;
}

/** Consumes fill bits and an EOL if they come next: true if consumed, false if row data comes next, undefined at the end. */
function readEol(reader: BitReader): boolean | undefined {
  const next = reader.peek(EOL_LENGTH);
  if (next === EOL_CODE) {
    reader.skip(EOL_LENGTH);
    return true;
  }
  if (next !== 0) return false;
  // Fill bits (T.4 §4.1.3) are zeros before an EOL, so any run of 12 or more zeros must end in one.
  reader.skipZeros();
  if (reader.atEnd) return undefined;
  reader.skip(1);
  return true;
}

/** True when the row just decoded is followed by an EOL (possibly after fill) or by nothing but padding. */
function endsAtEol(reader: BitReader): boolean {
  return reader.peek(EOL_LENGTH) <= EOL_CODE || reader.onlyZerosLeft();
}

/** Advances to the next EOL (eleven zeros and a one); valid row data never holds eleven zeros in a row. */
function skipToEol(reader: BitReader): void {
  while (!reader.atEnd && reader.peek(EOL_LENGTH) !== EOL_CODE) reader.skip(1);
}
