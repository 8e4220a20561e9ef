// T.30 facsimile control field (FCF) codes (T.30 §5.3.6.1, Table 2; T.4 Annex A for FCD/RCP), held MSB-first.
//
// Each row keeps the code as T.30 prints it, bits in line order with `X` where the station that received DIS sets 1.
// The MSB-first value (T.38 wire form, faxd's internal form) is that bit string read as binary with X = 0; the
// LSB-first value (as received over HDLC, SpanDSP's storage) is its bit reversal.

import { reverseOctet } from '../../hdlc/bit-order.js';

/** The X bit in MSB-first form: the first bit on the line. */
export const FCF_X_BIT = 0x80;

const FCF_ROWS = [
  ['DIS', '0000 0001'],
  ['CSI', '0000 0010'],
  ['NSF', '0000 0100'],
  ['DTC', '1000 0001'],
  ['CIG', '1000 0010'],
  ['NSC', '1000 0100'],
  ['PWD', '1000 0011'],
  ['SEP', '1000 0101'],
  ['PSA', '1000 0110'],
  ['CIA', '1000 0111'],
  ['ISP', '1000 1000'],
  ['DCS', 'X100 0001'],
  ['TSI', 'X100 0010'],
  ['NSS', 'X100 0100'],
  ['SUB', 'X100 0011'],
  ['SID', 'X100 0101'],
  ['TSA', 'X100 0110'],
  ['IRA', 'X100 0111'],
  ['CTC', 'X100 1000'],
  ['CFR', 'X010 0001'],
  ['FTT', 'X010 0010'],
  ['CTR', 'X010 0011'],
  ['CSA', 'X010 0100'],
  ['EOM', 'X111 0001'],
  ['MPS', 'X111 0010'],
  ['EOP', 'X111 0100'],
  ['EOS', 'X111 1000'],
  ['PRI-EOM', 'X111 1001'],
  ['PRI-MPS', 'X111 1010'],
  ['PRI-EOP', 'X111 1100'],
  ['PPS', 'X111 1101'],
  ['EOR', 'X111 0011'],
  ['RR', 'X111 0110'],
  ['MCF', 'X011 0001'],
  ['RTP', 'X011 0011'],
  ['RTN', 'X011 0010'],
  ['PIP', 'X011 0101'],
  ['PIN', 'X011 0100'],
  ['PPR', 'X011 1101'],
  ['RNR', 'X011 0111'],
  ['ERR', 'X011 1000'],
  ['FDM', 'X011 1111'],
  ['PID', 'X011 0110'],
  ['DCN', 'X101 1111'],
  ['CRP', 'X101 1000'],
  ['FNV', 'X101 0011'],
  ['TNR', 'X101 0111'],
  ['TR', 'X101 0110'],
  ['DNK', 'X101 1001'],
  ['TK', '1101 0010'],
  ['RK', '0101 0010'],
  ['DES', '0000 0101'],
  ['DEC', '1100 1001'],
  ['DER', '1100 1010'],
  ['SPI', '0000 1000'],
  ['FCD', '0110 0000'],
  ['RCP', '0110 0001'],
] as const;

/**
 * Codes T.30 gives to two signals. Decoding an FCF returns the first name; these are chosen by context:
 * SPT shares DIS's code, DTR shares ISP's, and PSS equals EOS with X set.
 */
const SHARED_CODE_ROWS = [
  ['SPT', '0000 0001'],
  ['DTR', '1000 1000'],
  ['PSS', '1111 1000'],
] as const;

export type FcfName = (typeof FCF_ROWS)[number][0] | (typeof SHARED_CODE_ROWS)[number][0];

export interface FcfEntry {
  readonly name: FcfName;
  /** The code as T.30 prints it, first line bit on the left. */
  readonly bits: string;
  /** Whether the first bit is the X bit (set by the station that received DIS) rather than a fixed bit. */
  readonly hasXBit: boolean;
  /** MSB-first value with X = 0. */
  readonly msbFirst: number;
  /** LSB-first value with X = 0. */
  readonly lsbFirst: number;
}

function entryOf(name: FcfName, bits: string): FcfEntry {
  const hasXBit = bits.startsWith('X');
  const msbFirst = Number.parseInt(bits.replace('X', '0').replaceAll(' ', ''), 2);
  return { name, bits, hasXBit, msbFirst, lsbFirst: reverseOctet(msbFirst) };
}

/** Every FCF in T.30 Table 2 (plus FCD and RCP), keyed by name. */
export const FCF_TABLE: Readonly<Record<FcfName, FcfEntry>> = Object.fromEntries(
  [...FCF_ROWS, ...SHARED_CODE_ROWS].map(([name, bits]) => [name, entryOf(name, bits)]),
) as Record<FcfName, FcfEntry>;

const BY_CODE = new Map<number, FcfEntry>();
for (const [name] of FCF_ROWS) {
  const entry = FCF_TABLE[name];
  const codes = entry.hasXBit ? [entry.msbFirst, entry.msbFirst | FCF_X_BIT] : [entry.msbFirst];
  for (const code of codes) {
    if (BY_CODE.has(code)) throw new Error(`FCF table: ${name} reuses code ${code.toString(16)}`);
    BY_CODE.set(code, entry);
  }
}

/** The MSB-first FCF octet for `name`, with the X bit set when `xBit` and the code has one. */
export function encodeFcf(name: FcfName, xBit = false): number {
  const entry = FCF_TABLE[name];
  return entry.hasXBit && xBit ? entry.msbFirst | FCF_X_BIT : entry.msbFirst;
}

/** The signal an MSB-first FCF octet names, and its X bit; undefined for codes T.30 does not assign. */
export function decodeFcf(octet: number): { readonly name: FcfName; readonly xBit: boolean } | undefined {
  const entry = BY_CODE.get(octet);
  if (entry === undefined) return undefined;
  return { name: entry.name, xBit: entry.hasXBit && (octet & FCF_X_BIT) !== 0 };
}
