// Lookup tables for decoding T.4 run-length codes and T.4/T.6 2-D mode codes by peeking a fixed number of bits.
import {
  BLACK_CODES,
  type Code,
  type ColourCodes,
  HORIZONTAL_CODE,
  PASS_CODE,
  VERTICAL_CODES,
  WHITE_CODES,
} from './t4-codes.js';

/** Run codes are at most 13 bits long, so a 13-bit peek always holds a whole code. */
export const RUN_LOOKUP_BITS = 13;
/** Mode codes are at most 7 bits long. */
export const MODE_LOOKUP_BITS = 7;

/** Mode numbers stored in MODE_LOOKUP; vertical modes are VERTICAL_BASE + (a1 - b1). */
export const MODE_PASS = 1;
export const MODE_HORIZONTAL = 2;
export const VERTICAL_BASE = 6;

/**
 * Entries are (run << 4) | codeLength; 0 marks a bit pattern that starts no valid code
 * (EOL, fill or corruption). Make-up entries have run >= 64. The largest entry, 2560 << 4 | 12, fits in 16 bits,
 * which halves the tables to 16 KiB each, so more of them stays in the level 1 data cache.
 */
export const BLACK_RUN_OFFSET = 1 << RUN_LOOKUP_BITS;
/**
 * Both run tables in one, white then black: the MH row decoder picks a colour by adding BLACK_RUN_OFFSET to the
 * index, an XOR per run rather than a choice between two arrays. The tables of each colour are views of it.
 */
export const RUN_LOOKUP: Uint16Array = new Uint16Array(2 * BLACK_RUN_OFFSET);
export const WHITE_RUN_LOOKUP: Uint16Array = buildRunLookup(WHITE_CODES, RUN_LOOKUP.subarray(0, BLACK_RUN_OFFSET));
export const BLACK_RUN_LOOKUP: Uint16Array = buildRunLookup(BLACK_CODES, RUN_LOOKUP.subarray(BLACK_RUN_OFFSET));

/**
 * RUN_LOOKUP widened to two codes per probe: a terminating code followed, within the same RUN_LOOKUP_BITS, by the
 * terminating code of the other colour comes out of one entry, as MH rows mostly are (short black runs between
 * white ones). Entries hold both codes' length in bits 0..3, the second code's length in bits 4..7, the first run
 * (make-up runs too) in bits 8..19, the second run in bits 20..25 and RUN_PAIR when there is a second code; 0 marks
 * a pattern that starts no valid code. Same index as RUN_LOOKUP (BLACK_RUN_OFFSET added for a black first run).
 * The MH row decoder thus follows one chain of dependent loads per two runs: each probe needs the position the one
 * before it left, and that chain, not the work per run, sets its pace.
 */
export const RUN_PAIR = 1 << 26;
export const RUN_PAIR_LOOKUP: Int32Array = buildRunPairLookup();

function buildRunPairLookup(): Int32Array {
  const table = new Int32Array(RUN_LOOKUP.length);
  const mask = BLACK_RUN_OFFSET - 1;
  for (let index = 0; index < table.length; index++) {
    const first = RUN_LOOKUP[index];
    if (first === 0) continue;
    const length = first & 15;
    const run = first >> 4;
    table[index] = (run << 8) | length;
    if (run >= 64) continue; // a make-up code: its terminating code is of the same colour
    const other = index < BLACK_RUN_OFFSET ? BLACK_RUN_OFFSET : 0;
    const second = RUN_LOOKUP[other | ((index << length) & mask)];
    const secondLength = second & 15;
    // The second code must lie wholly inside the bits looked up, and end the pair: a terminating code.
    if (second === 0 || second >> 4 >= 64 || length + secondLength > RUN_LOOKUP_BITS) continue;
    table[index] = RUN_PAIR | ((second >> 4) << 20) | (run << 8) | (secondLength << 4) | (length + secondLength);
  }
  return table;
}

/**
 * Entries are (mode << 4) | codeLength, 0 for patterns that are no mode (EOL, extensions, corruption). Modes are
 * numbered so entries of vertical modes are the largest, horizontal ones next, then pass.
 */
export const MODE_LOOKUP: Uint8Array = buildModeLookup();

function fill(table: Uint16Array | Uint8Array, bits: number, code: Code, entry: number): void {
  // Every pattern the code begins: one native fill per code, which keeps the tables' build out of start-up time.
  const spare = bits - code.length;
  const first = code.value << spare;
  table.fill((entry << 4) | code.length, first, first + (1 << spare));
}

/** Fills `table` (1 << RUN_LOOKUP_BITS entries) for one colour's codes and returns it. */
function buildRunLookup(codes: ColourCodes, table: Uint16Array): Uint16Array {
  for (let run = 0; run < 64; run++) fill(table, RUN_LOOKUP_BITS, codes.terminating[run], run);
  for (let index = 1; index < codes.makeUp.length; index++)
    fill(table, RUN_LOOKUP_BITS, codes.makeUp[index], index * 64);
  return table;
}

function buildModeLookup(): Uint8Array {
  const table = new Uint8Array(1 << MODE_LOOKUP_BITS);
  fill(table, MODE_LOOKUP_BITS, PASS_CODE, MODE_PASS);
  fill(table, MODE_LOOKUP_BITS, HORIZONTAL_CODE, MODE_HORIZONTAL);
  for (let index = 0; index < VERTICAL_CODES.length; index++) {
    fill(table, MODE_LOOKUP_BITS, VERTICAL_CODES[index], VERTICAL_BASE + index - 3);
  }
  return table;
}
