// Decoding of one Modified Huffman row (T.4 §4.1) into changing elements.
import type { BitReader } from '../bits/bit-reader.js';
import { BLACK_RUN_OFFSET, RUN_LOOKUP } from './t4-code-lookup.js';

/**
 * Decodes alternating white/black runs until they add up to `width`, storing changing elements in `out`
 * (with four `width` sentinels). Returns the count, or -1 when a code is invalid, the runs overshoot the row
 * or the data runs out (past its end the reader holds zero bits, which form no code); after -1 the reader's
 * position is unspecified (callers rescan).
 */
export function decodeOneDimensionalRow(reader: BitReader, width: number, out: Int32Array): number {
  // The run loop is inlined here with the bit position in a local: MH rows are nothing but run codes. The 13 bits a
  // run code needs (RUN_LOOKUP_BITS) lie in the three bytes from its first bit, as in peekBits, written out here.
  const bytes = reader.bytes;
  let bit = reader.position;
  let position = 0;
  let count = 0;
  let colour = 0; // 0 for a white run, BLACK_RUN_OFFSET for a black one
  for (;;) {
    let run = 0;
    for (;;) {
      const index = bit >> 3;
      const window = (bytes[index] << 16) | (bytes[index + 1] << 8) | bytes[index + 2];
      const entry = RUN_LOOKUP[colour | ((window >>> (11 - (bit & 7))) & 0x1fff)];
      if (entry === 0) return -1;
      bit += entry & 15;
      const part = entry >> 4;
      run += part;
      if (part < 64) break;
    }
    position += run;
    if (position > width) return -1;
    if (position === width) break;
    // A zero-length run in mid-row means the previous colour simply continues. (`count` is tested first so both tests
    // run from the first row on: a test first met on a later page makes V8 drop the optimised row loop.)
    if (count > 0 && run === 0) count--;
    else out[count++] = position;
    colour ^= BLACK_RUN_OFFSET;
  }
  reader.position = bit;
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}
