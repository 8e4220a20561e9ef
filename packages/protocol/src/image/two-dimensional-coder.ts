// Two-dimensional coding of a row against the reference row above (T.4 §4.2.1.3, used by MR and by T.6 MMR).
import type { BitReader } from '../bits/bit-reader.js';
import { listRunCodes } from './mh-coder.js';
import {
  BLACK_RUN_OFFSET,
  MODE_HORIZONTAL,
  MODE_LOOKUP,
  MODE_LOOKUP_BITS,
  MODE_PASS,
  RUN_LOOKUP,
  RUN_LOOKUP_BITS,
  VERTICAL_BASE,
} from './t4-code-lookup.js';
import { BLACK_CODES, HORIZONTAL_CODE, PASS_CODE, packCode, VERTICAL_CODES, WHITE_CODES } from './t4-codes.js';

const PASS = packCode(PASS_CODE);
const HORIZONTAL = packCode(HORIZONTAL_CODE);
const VERTICAL = Int32Array.from(VERTICAL_CODES, packCode);

/**
 * Lists the codes of the row whose changing elements are `coding` against `reference` (changing elements of the row
 * above), both with width sentinels after them; a0 starts on an imaginary white pixel before the row. Returns how
 * many codes it stored in `codes` (rowCodesLength(width) entries are enough).
 */
export function encodeTwoDimensionalRow(
  codes: Int32Array,
  coding: Int32Array,
  reference: Int32Array,
  width: number,
): number {
  let n = 0;
  let a0 = -1;
  let colour = 0; // 0 while a0 is white, 1 while black
  let i = 0; // index of a1 in `coding`: past the real changes it reads the sentinels, a1 = a2 = width
  let b = 0; // index of b1 in `reference`: its parity is the colour of a0, as in decodeTwoDimensionalRow
  while (a0 < width) {
    while (reference[b] <= a0) b += 2;
    const b1 = reference[b];
    const b2 = reference[b + 1];
    const a1 = coding[i];
    if (b2 < a1) {
      codes[n++] = PASS;
      a0 = b2;
    } else if (a1 - b1 <= 3 && b1 - a1 <= 3) {
      codes[n++] = VERTICAL[a1 - b1 + 3];
      a0 = a1;
      colour ^= 1;
      i++;
      b = b > 0 ? b - 1 : 1; // the colour changed; every change before b - 1 lies at or before a0
    } else {
      const a2 = coding[i + 1];
      codes[n++] = HORIZONTAL;
      n = listRunCodes(codes, n, a1 - Math.max(a0, 0), colour ? BLACK_CODES : WHITE_CODES);
      n = listRunCodes(codes, n, a2 - a1, colour ? WHITE_CODES : BLACK_CODES);
      a0 = a2;
      i += 2;
    }
  }
  return n;
}

/** The lowest MODE_LOOKUP entry of a vertical mode: entries are (mode << 4) | length and V(-3) is the lowest mode. */
const FIRST_VERTICAL_ENTRY = (VERTICAL_BASE - 3) << 4;
const FIRST_HORIZONTAL_ENTRY = MODE_HORIZONTAL << 4;
const FIRST_PASS_ENTRY = MODE_PASS << 4;
/**
 * The tables as bindings of this module: V8 compiles a read of a module's own constant into the table's address, an
 * imported binding it reads and checks at every use.
 */
const MODES = MODE_LOOKUP;
const RUNS = RUN_LOOKUP;

/**
 * Decodes one 2-D coded row against `reference` into changing elements in `out` (four width sentinels after).
 * Returns the count, or -1 on an invalid mode code (EOL, extension, corruption), a change outside the row or
 * data running out (past its end the reader holds zero bits, which form no mode code); after -1 the reader's
 * position is unspecified (callers rescan or stop).
 */
export function decodeTwoDimensionalRow(
  reader: BitReader,
  reference: Int32Array,
  rowWidth: number,
  out: Int32Array,
): number {
  // An int32 local: a parameter stays tagged, and V8 checks and untags it at every use in the loop.
  const width = rowWidth | 0;
  // The bit position lives in a local for the whole row, horizontal mode's runs included. The tables come from this
  // module's aliases (MODES, RUNS), imported numbers from int32 locals (`| 0`): V8 checks an imported binding for its
  // temporal dead zone at every read, and a number it cannot see is an integer, for being one, at every use.
  const words = reader.words;
  const modes = MODES;
  const runs = RUNS;
  const modeShift = (32 - MODE_LOOKUP_BITS) | 0;
  const runShift = (32 - RUN_LOOKUP_BITS) | 0;
  const black = BLACK_RUN_OFFSET | 0;
  const firstVertical = FIRST_VERTICAL_ENTRY | 0;
  const firstHorizontal = FIRST_HORIZONTAL_ENTRY | 0;
  const firstPass = FIRST_PASS_ENTRY | 0;
  const verticalBase = VERTICAL_BASE | 0;
  let position = reader.position;
  let a0 = -1;
  let colour = 0;
  let count = 0;
  // b1 is reference[b]: b's parity is always the colour of a0 (even indices are white-to-black changes), so
  // finding b1 only ever steps over pairs of changes.
  let b = 0;
  for (;;) {
    const entry = modes[(words.getInt32(position >> 3) << (position & 7)) >>> modeShift];
    position += entry & 15;
    while (reference[b] <= a0) b += 2;
    if (entry >= firstVertical) {
      const a1 = reference[b] + (entry >> 4) - verticalBase;
      // a1 must lie in max(a0, 0)..width: one unsigned comparison checks both ends.
      const low = Math.max(a0, 0);
      if ((a1 - low) >>> 0 > width - low) return -1;
      if (a1 === width) break;
      out[count++] = a1;
      // More changes than pixels: only zero-length runs can do that (`out` has room for the one stored past width).
      if (count > width) return -1;
      a0 = a1;
      colour ^= 1;
      // The colour changed: the change just before b has the new parity, and every earlier one lies at or before a0.
      b = b > 0 ? b - 1 : 1;
    } else if (entry >= firstHorizontal) {
      // Two runs, a0's colour first, each make-up codes and a terminating code (as decodeRun reads one), in one loop.
      const start = Math.max(a0, 0);
      let table = colour === 0 ? 0 : black;
      let first = -1;
      let run = 0;
      for (;;) {
        const code = runs[table | ((words.getInt32(position >> 3) << (position & 7)) >>> runShift)];
        if (code === 0) return -1;
        position += code & 15;
        run += code >> 4;
        if (code >= 64 << 4) continue; // a make-up code: its terminating code follows
        if (first >= 0) break;
        first = run;
        run = 0;
        table ^= black;
      }
      const second = run;
      if (first > width - start || second > width - start - first) return -1;
      a0 = start + first + second;
      if (start + first < width) out[count++] = start + first;
      if (a0 < width) out[count++] = a0;
      if (count > width) return -1; // as above; `out` has room for both
      if (a0 === width) break;
    } else if (entry >= firstPass) {
      a0 = reference[b + 1];
      if (a0 >= width) break;
    } else {
      return -1;
    }
  }
  reader.position = position;
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}
