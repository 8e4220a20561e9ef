// The T.4 run-length code tables (T.4 §4.1.2 Tables 2 and 3, extended make-up codes) and the 2-D mode codes (Table 4).
import type { RunCodes } from '../bits/bit-writer.js';

/** White terminating codes for runs 0..63 (T.4 Table 2a). */
const WHITE_TERMINATING = [
  '00110101',
  '000111',
  '0111',
  '1000',
  '1011',
  '1100',
  '1110',
  '1111',
  '10011',
  '10100',
  '00111',
  '01000',
  '001000',
  '000011',
  '110100',
  '110101',
  '101010',
  '101011',
  '0100111',
  '0001100',
  '0001000',
  '0010111',
  '0000011',
  '0000100',
  '0101000',
  '0101011',
  '0010011',
  '0100100',
  '0011000',
  '00000010',
  '00000011',
  '00011010',
  '00011011',
  '00010010',
  '00010011',
  '00010100',
  '00010101',
  '00010110',
  '00010111',
  '00101000',
  '00101001',
  '00101010',
  '00101011',
  '00101100',
  '00101101',
  '00000100',
  '00000101',
  '00001010',
  '00001011',
  '01010010',
  '01010011',
  '01010100',
  '01010101',
  '00100100',
  '00100101',
  '01011000',
  '01011001',
  '01011010',
  '01011011',
  '01001010',
  '01001011',
  '00110010',
  '00110011',
  '00110100',
];

/** Black terminating codes for runs 0..63 (T.4 Table 2b). */
const BLACK_TERMINATING = [
  '0000110111',
  '010',
  '11',
  '10',
  '011',
  '0011',
  '0010',
  '00011',
  '000101',
  '000100',
  '0000100',
  '0000101',
  '0000111',
  '00000100',
  '00000111',
  '000011000',
  '0000010111',
  '0000011000',
  '0000001000',
  '00001100111',
  '00001101000',
  '00001101100',
  '00000110111',
  '00000101000',
  '00000010111',
  '00000011000',
  '000011001010',
  '000011001011',
  '000011001100',
  '000011001101',
  '000001101000',
  '000001101001',
  '000001101010',
  '000001101011',
  '000011010010',
  '000011010011',
  '000011010100',
  '000011010101',
  '000011010110',
  '000011010111',
  '000001101100',
  '000001101101',
  '000011011010',
  '000011011011',
  '000001010100',
  '000001010101',
  '000001010110',
  '000001010111',
  '000001100100',
  '000001100101',
  '000001010010',
  '000001010011',
  '000000100100',
  '000000110111',
  '000000111000',
  '000000100111',
  '000000101000',
  '000001011000',
  '000001011001',
  '000000101011',
  '000000101100',
  '000001011010',
  '000001100110',
  '000001100111',
];

/** White make-up codes for runs 64, 128, ... 1728 (T.4 Table 3a). */
const WHITE_MAKE_UP = [
  '11011',
  '10010',
  '010111',
  '0110111',
  '00110110',
  '00110111',
  '01100100',
  '01100101',
  '01101000',
  '01100111',
  '011001100',
  '011001101',
  '011010010',
  '011010011',
  '011010100',
  '011010101',
  '011010110',
  '011010111',
  '011011000',
  '011011001',
  '011011010',
  '011011011',
  '010011000',
  '010011001',
  '010011010',
  '011000',
  '010011011',
];

/** Black make-up codes for runs 64, 128, ... 1728 (T.4 Table 3b). */
const BLACK_MAKE_UP = [
  '0000001111',
  '000011001000',
  '000011001001',
  '000001011011',
  '000000110011',
  '000000110100',
  '000000110101',
  '0000001101100',
  '0000001101101',
  '0000001001010',
  '0000001001011',
  '0000001001100',
  '0000001001101',
  '0000001110010',
  '0000001110011',
  '0000001110100',
  '0000001110101',
  '0000001110110',
  '0000001110111',
  '0000001010010',
  '0000001010011',
  '0000001010100',
  '0000001010101',
  '0000001011010',
  '0000001011011',
  '0000001100100',
  '0000001100101',
];

/** Make-up codes shared by both colours for runs 1792, 1856, ... 2560 (T.4 Table 3, extended). */
const EXTENDED_MAKE_UP = [
  '00000001000',
  '00000001100',
  '00000001101',
  '000000010010',
  '000000010011',
  '000000010100',
  '000000010101',
  '000000010110',
  '000000010111',
  '000000011100',
  '000000011101',
  '000000011110',
  '000000011111',
];

/** The longest run one make-up code covers; longer runs repeat it (T.4 §4.1.1.3). */
export const MAX_MAKE_UP = 2560;
/** EOL: eleven 0 bits then a 1 (T.4 §4.1.2). */
export const EOL_CODE = 0b000000000001;
export const EOL_LENGTH = 12;

/** A code as value (right-aligned) and length in bits. */
export interface Code {
  readonly value: number;
  readonly length: number;
}

/** Codes for one colour, indexed by run for terminating codes (0..63) and run / 64 for make-up codes (1..40). */
export interface ColourCodes {
  readonly terminating: readonly Code[];
  readonly makeUp: readonly Code[];
  /**
   * What an encoder writes for each run 0..MAX_MAKE_UP + 63: the make-up code (for runs of 64 and more) joined to
   * the terminating code, as (bits << 5) | length. One table load and one write per run; at most 13 + 12 = 25 bits.
   */
  readonly runCodes: Int32Array;
}

function parse(bits: string): Code {
  return { value: Number.parseInt(bits, 2), length: bits.length };
}

function colourCodes(terminatingBits: string[], makeUpBits: string[]): ColourCodes {
  const terminating = terminatingBits.map(parse);
  const makeUp = [{ value: 0, length: 0 }, ...makeUpBits.map(parse), ...EXTENDED_MAKE_UP.map(parse)];
  const runCodes = new Int32Array(MAX_MAKE_UP + 64);
  for (let run = 0; run < runCodes.length; run++) {
    const head = makeUp[run >> 6];
    const tail = terminating[run & 63];
    runCodes[run] = (((head.value << tail.length) | tail.value) << 5) | (head.length + tail.length);
  }
  return { terminating, makeUp, runCodes };
}

export const WHITE_CODES: ColourCodes = colourCodes(WHITE_TERMINATING, WHITE_MAKE_UP);
export const BLACK_CODES: ColourCodes = colourCodes(BLACK_TERMINATING, BLACK_MAKE_UP);

/** Both colours' run codes as BitWriter.writeRuns takes them; the longest make-up code is shared (Table 3, extended). */
export const RUN_CODES: RunCodes = {
  white: WHITE_CODES.runCodes,
  black: BLACK_CODES.runCodes,
  longMakeUp: packCode(WHITE_CODES.makeUp[MAX_MAKE_UP >> 6]),
  longMakeUpRun: MAX_MAKE_UP,
};

/** 2-D coding modes (T.4 Table 4); vertical modes are V(a1 - b1) for -3..3. */
export const PASS_CODE: Code = parse('0001');
export const HORIZONTAL_CODE: Code = parse('001');
export const VERTICAL_CODES: readonly Code[] = ['0000010', '000010', '010', '1', '011', '000011', '0000011'].map(parse);

/** A code packed as (value << 5) | length, the form of ColourCodes.runCodes that the row coders list for BitWriter. */
export function packCode(code: Code): number {
  return (code.value << 5) | code.length;
}
