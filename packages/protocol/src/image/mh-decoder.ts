// Decoding of one Modified Huffman row (T.4 §4.1) into changing elements.
import { type BitReader, peekBits } from '../bits/bit-reader.js';
import { BLACK_RUN_LOOKUP, RUN_LOOKUP_BITS, WHITE_RUN_LOOKUP } from './t4-code-lookup.js';

/**
 * Decodes alternating white/black runs until they add up to `width`, storing changing elements in `out`
 * (with four `width` sentinels). Returns the count, or -1 when a code is invalid, the runs overshoot the row
 * or the data runs out (past its end the reader holds zero bits, which form no code); after -1 the reader's
 * position is unspecified (callers rescan).
 */
export function decodeOneDimensionalRow(reader: BitReader, width: number, out: Int32Array): number {
  // The run loop is inlined here with the bit position in a local: MH rows are nothing but run codes.
  const bytes = reader.bytes;
  let bit = reader.position;
  let position = 0;
  let count = 0;
  let lookup = WHITE_RUN_LOOKUP;
  for (;;) {
    let run = 0;
    for (;;) {
      const entry = lookup[peekBits(bytes, bit, RUN_LOOKUP_BITS)];
      if (entry === 0) return -1;
      bit += entry & 15;
      const part = entry >> 4;
      run += part;
      if (part < 64) break;
    }
    position += run;
    if (position > width) return -1;
    if (position === width) break;
    // A zero-length run in mid-row means the previous colour simply continues.
    if (run === 0 && count > 0) count--;
    else out[count++] = position;
    lookup = lookup === WHITE_RUN_LOOKUP ? BLACK_RUN_LOOKUP : WHITE_RUN_LOOKUP;
  }
  reader.position = bit;
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}
