// One-dimensional (Modified Huffman) coding of a row's runs, T.4 §4.1: alternating white and black run-length codes.
import { type BitReader, peekBits } from '../bits/bit-reader.js';
import type { BitWriter } from '../bits/bit-writer.js';
import { RUN_LOOKUP_BITS } from './t4-code-lookup.js';
import { BLACK_CODES, type ColourCodes, MAX_MAKE_UP, WHITE_CODES } from './t4-codes.js';

/** Writes one run as make-up code(s) followed by a terminating code (T.4 §4.1.1.3). */
export function encodeRun(writer: BitWriter, run: number, codes: ColourCodes): void {
  let left = run;
  // Runs longer than any make-up code covers repeat the longest one first.
  while (left > MAX_MAKE_UP + 63) {
    const code = codes.makeUp[MAX_MAKE_UP >> 6];
    writer.write(code.value, code.length);
    left -= MAX_MAKE_UP;
  }
  const code = codes.runCodes[left];
  writer.write(code >>> 5, code & 31);
}

/**
 * Codes a row from its changing elements (with the `width` sentinel after them): a white run first (possibly 0),
 * then alternating colours to the row end.
 */
export function encodeOneDimensionalRow(writer: BitWriter, changes: Int32Array, count: number): void {
  const white = WHITE_CODES.runCodes;
  const black = BLACK_CODES.runCodes;
  let position = 0;
  for (let i = 0; i <= count; i++) {
    const next = changes[i];
    const run = next - position;
    position = next;
    if (run < white.length) {
      const code = (i & 1 ? black : white)[run];
      writer.write(code >>> 5, code & 31);
    } else {
      encodeRun(writer, run, i & 1 ? BLACK_CODES : WHITE_CODES);
    }
  }
}

/**
 * Reads one run (make-up codes then a terminating code) with a lookup table from t4-code-lookup; returns the run
 * length, or -1 on an invalid code or a run longer than `limit`. Past the end of the data the reader's zero bits
 * form no code, so running out ends in -1 too.
 */
export function decodeRun(reader: BitReader, lookup: Uint16Array, limit: number): number {
  const bytes = reader.bytes;
  let position = reader.position;
  let total = 0;
  for (;;) {
    const entry = lookup[peekBits(bytes, position, RUN_LOOKUP_BITS)];
    if (entry === 0) return -1;
    position += entry & 15;
    const run = entry >> 4;
    total += run;
    if (total > limit) return -1;
    if (run < 64) break;
  }
  reader.position = position;
  return total;
}
