// Decoding of one Modified Huffman row (T.4 §4.1) into changing elements.
import type { BitReader } from '../bits/bit-reader.js';
import { BLACK_RUN_OFFSET, RUN_LOOKUP_BITS, RUN_PAIR, RUN_PAIR_LOOKUP } from './t4-code-lookup.js';

/**
 * The table as a binding of this module: V8 compiles a read of a module's own constant into the table's address, an
 * imported binding it reads and checks at every use.
 */
const PAIRS = RUN_PAIR_LOOKUP;

/**
 * Decodes alternating white/black runs until they add up to `width`, storing changing elements in `out`
 * (with four `width` sentinels). Returns the count, or -1 when a code is invalid, the runs overshoot the row
 * or the data runs out (past its end the reader holds zero bits, which form no code); after -1 the reader's
 * position is unspecified (callers rescan).
 */
export function decodeOneDimensionalRow(reader: BitReader, rowWidth: number, out: Int32Array): number {
  // An int32 local: a parameter stays tagged, and V8 checks and untags it at every use in the loop.
  const width = rowWidth | 0;
  // The run loop is inlined here with the bit position in a local: MH rows are nothing but run codes. The table comes
  // from this module's alias (PAIRS), imported numbers from int32 locals (`| 0`): V8 checks an imported binding for
  // its temporal dead zone at every read, and a number it cannot see is an integer, for being one, at every use.
  const words = reader.words;
  const lookup = PAIRS;
  const shift = (32 - RUN_LOOKUP_BITS) | 0;
  const black = BLACK_RUN_OFFSET | 0;
  const pair = RUN_PAIR | 0;
  let bit = reader.position;
  let position = 0;
  let count = 0;
  let colour = 0; // 0 for a white run, `black` for a black one
  let run = 0;
  // One loop for make-up and terminating codes alike: a nested loop per run costs a second loop header per code.
  // Each probe reads a code or a pair of them (RUN_PAIR_LOOKUP).
  for (;;) {
    const entry = lookup[colour | ((words.getInt32(bit >> 3) << (bit & 7)) >>> shift)];
    if (entry === 0) return -1;
    bit += entry & 15;
    const part = (entry >> 8) & 0xfff;
    run += part;
    if (part >= 64) continue; // a make-up code: its terminating code follows
    position += run;
    if (position >= width) {
      if (position > width) return -1;
      bit -= (entry >> 4) & 15; // a second code read with the row's last belongs to the next row
      break;
    }
    // A zero-length run in mid-row means the previous colour simply continues. (`count` is tested first so both tests
    // run from the first row on: a test first met on a later page makes V8 drop the optimised row loop.)
    if (count > 0 && run === 0) count--;
    else out[count++] = position;
    if (entry < pair) {
      run = 0;
      colour ^= black;
      continue;
    }
    // The pair's second run, of the other colour: the colour after it is this probe's again.
    run = (entry >> 20) & 63;
    position += run;
    if (position >= width) {
      if (position > width) return -1;
      break;
    }
    if (count > 0 && run === 0) count--;
    else out[count++] = position;
    run = 0;
  }
  reader.position = bit;
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}
