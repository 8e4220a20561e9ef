// One-dimensional (Modified Huffman) coding of a row's runs, T.4 §4.1: alternating white and black run-length codes.
import { type BitReader, peekBits } from '../bits/bit-reader.js';
import type { BitWriter } from '../bits/bit-writer.js';
import { RUN_LOOKUP_BITS } from './t4-code-lookup.js';
import { BLACK_CODES, type ColourCodes, MAX_MAKE_UP, WHITE_CODES } from './t4-codes.js';

/** Writes one run as make-up code(s) followed by a terminating code (T.4 §4.1.1.3). */
export function encodeRun(writer: BitWriter, run: number, codes: ColourCodes): void {
  let left = run;
  while (left > MAX_MAKE_UP + 63) {
    const code = codes.makeUp[MAX_MAKE_UP >> 6];
    writer.write(code.value, code.length);
    left -= MAX_MAKE_UP;
  }
  if (left >= 64) {
    const code = codes.makeUp[left >> 6];
    writer.write(code.value, code.length);
    left &= 63;
  }
  const code = codes.terminating[left];
  writer.write(code.value, code.length);
}

/** Codes a row from its changing elements: a white run first (possibly 0), then alternating colours to the row end. */
export function encodeOneDimensionalRow(writer: BitWriter, changes: Int32Array, count: number, width: number): void {
  let position = 0;
  for (let i = 0; i <= count; i++) {
    const next = i < count ? changes[i] : width;
    encodeRun(writer, next - position, i & 1 ? BLACK_CODES : WHITE_CODES);
    position = next;
  }
}

/**
 * Reads one run (make-up codes then a terminating code) with the given lookup table; returns the run length,
 * or -1 on an invalid code or a run longer than `limit`.
 */
export function decodeRun(reader: BitReader, lookup: Int32Array, limit: number): number {
  const bytes = reader.bytes;
  const end = reader.totalBits;
  let position = reader.position;
  let total = 0;
  for (;;) {
    if (position > end) return -1;
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
