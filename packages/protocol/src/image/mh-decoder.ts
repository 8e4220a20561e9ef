// Decoding of one Modified Huffman row (T.4 §4.1) into changing elements.
import type { BitReader } from '../bits/bit-reader.js';
import { decodeRun } from './mh-coder.js';
import { BLACK_RUN_LOOKUP, WHITE_RUN_LOOKUP } from './t4-code-lookup.js';

/**
 * Decodes alternating white/black runs until they add up to `width`, storing changing elements in `out`
 * (with four `width` sentinels). Returns the count, or -1 when a code is invalid or the runs overshoot the row.
 */
export function decodeOneDimensionalRow(reader: BitReader, width: number, out: Int32Array): number {
  let position = 0;
  let count = 0;
  let white = true;
  for (;;) {
    const run = decodeRun(reader, white ? WHITE_RUN_LOOKUP : BLACK_RUN_LOOKUP, width - position);
    if (run < 0) return -1;
    position += run;
    if (position === width) break;
    // A zero-length run in mid-row means the previous colour simply continues.
    if (run === 0 && count > 0) count--;
    else out[count++] = position;
    white = !white;
  }
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}
