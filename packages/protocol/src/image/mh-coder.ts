// One-dimensional (Modified Huffman) coding of a row's runs, T.4 §4.1: alternating white and black run-length codes.
import { type BitReader, peekBits } from '../bits/bit-reader.js';
import type { BitWriter } from '../bits/bit-writer.js';
import { RUN_LOOKUP_BITS } from './t4-code-lookup.js';
import { type ColourCodes, MAX_MAKE_UP, packCode } from './t4-codes.js';

/**
 * Lists one run's codes in `codes` from index `n` as make-up code(s) followed by a terminating code (T.4 §4.1.1.3),
 * packed for BitWriter.writeCodes; returns the index after them.
 */
export function listRunCodes(codes: Int32Array, n: number, run: number, colour: ColourCodes): number {
  const runCodes = colour.runCodes;
  let next = n;
  let left = run;
  // Runs longer than any make-up code covers repeat the longest one first.
  while (left >= runCodes.length) {
    codes[next++] = packCode(colour.makeUp[MAX_MAKE_UP >> 6]);
    left -= MAX_MAKE_UP;
  }
  codes[next++] = runCodes[left];
  return next;
}

/** Writes one run as make-up code(s) followed by a terminating code (T.4 §4.1.1.3). */
export function encodeRun(writer: BitWriter, run: number, colour: ColourCodes): void {
  const codes = new Int32Array(Math.ceil(run / MAX_MAKE_UP) + 1);
  writer.writeCodes(codes, listRunCodes(codes, 0, run, colour));
}

/**
 * Room a row coder's code list needs for a row `width` pixels wide: every 2-D mode moves a0 right, so a row has at
 * most width + 1 modes (or runs, in 1-D) of at most three codes each, plus the repeated make-up codes of runs
 * past 2623 pixels, fewer than one per 2560 pixels of the row.
 */
export function rowCodesLength(width: number): number {
  return 5 * width + 16;
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
