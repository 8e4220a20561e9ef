// Bit map of the DIS/DTC/DCS facsimile information field (T.30 §5.3.6.2, Table 2), as named {bit, name} rows.
//
// Bit N (1-based, T.30 numbering) sits in FIF octet (N-1) div 8 under mask 0x80 >> ((N-1) mod 8) in faxd's MSB-first
// form. Multi-bit fields read their lowest-numbered bit as the least significant.

/** Single-bit DIS/DTC capabilities faxd reports by name; the negotiated fields have their own rows below. */
export const DIS_FLAG_BITS = [
  { bit: 1, name: 't37' },
  { bit: 3, name: 't38' },
  { bit: 4, name: 'mobile3g' },
  { bit: 6, name: 'v8' },
  { bit: 9, name: 'readyToTransmit' },
  { bit: 10, name: 'readyToReceive' },
  { bit: 26, name: 'uncompressed' },
  { bit: 33, name: 'fnv' },
  { bit: 34, name: 'multipleSelectivePolling' },
  { bit: 35, name: 'polledSubaddress' },
  { bit: 36, name: 't43' },
  { bit: 44, name: 'inchPreferred' },
  { bit: 45, name: 'metricPreferred' },
  { bit: 46, name: 'superfineScanTimeHalved' },
  { bit: 47, name: 'selectivePolling' },
  { bit: 49, name: 'subaddress' },
  { bit: 50, name: 'password' },
  { bit: 53, name: 'bft' },
  { bit: 66, name: 'digitalNetwork' },
  { bit: 67, name: 'duplex' },
  { bit: 68, name: 'jpeg' },
  { bit: 69, name: 'fullColour' },
  { bit: 76, name: 'letter' },
  { bit: 77, name: 'legal' },
] as const;

/** Single-bit DCS settings faxd reports by name. */
export const DCS_FLAG_BITS = [
  { bit: 1, name: 't37' },
  { bit: 3, name: 't38' },
  { bit: 4, name: 'mobile3g' },
  { bit: 10, name: 'receive' },
  { bit: 26, name: 'uncompressed' },
  { bit: 36, name: 't43' },
  { bit: 44, name: 'inchBased' },
  { bit: 49, name: 'subaddress' },
  { bit: 50, name: 'senderId' },
  { bit: 53, name: 'bft' },
  { bit: 66, name: 'digitalNetwork' },
  { bit: 67, name: 'duplex' },
  { bit: 68, name: 'jpeg' },
  { bit: 69, name: 'fullColour' },
  { bit: 76, name: 'letter' },
  { bit: 77, name: 'legal' },
] as const;

export type DisFlag = (typeof DIS_FLAG_BITS)[number]['name'];
export type DcsFlag = (typeof DCS_FLAG_BITS)[number]['name'];

/** Multi-bit fields: first bit and width. */
export const RATE_FIELD = { bit: 11, count: 4 } as const;
export const WIDTH_FIELD = { bit: 17, count: 2 } as const;
export const LENGTH_FIELD = { bit: 19, count: 2 } as const;
export const SCAN_TIME_FIELD = { bit: 21, count: 3 } as const;

/** DIS bit 7 asks for 64-octet ECM frames; DCS bit 28 selects them. */
export const DIS_ECM_64_PREFERRED_BIT = 7;
export const DCS_ECM_64_BIT = 28;
export const ECM_BIT = 27;

/** Resolutions beyond standard, highest first (a DCS with several set is read as the first one listed). */
export const RESOLUTION_BITS = [
  { bit: 43, name: '400' },
  { bit: 42, name: '300' },
  { bit: 41, name: 'superfine' },
  { bit: 15, name: 'fine' },
] as const;

/** Codings beyond MH, preferred first. T.85 (JBIG) bits are reported, never chosen by faxd. */
export const COMPRESSION_BITS = [
  { bit: 79, name: 't85-l0' },
  { bit: 78, name: 't85' },
  { bit: 31, name: 'mmr' },
  { bit: 16, name: 'mr' },
] as const;

export type Modem = 'v27ter' | 'v29' | 'v17';
/**
 * Standard is R8 x 3.85 l/mm; fine R8 x 7.7 (or 200 x 200 dpi); superfine R8 x 15.4; '300' is 300 x 300 dpi; '400' is
 * 400 x 400 dpi or R16 x 15.4 l/mm (bit 43). The names match image/geometry's FaxResolution.
 */
export type Resolution = 'standard' | (typeof RESOLUTION_BITS)[number]['name'];
export type CodingScheme = 'mh' | (typeof COMPRESSION_BITS)[number]['name'];
/** Scan-line widths 215 mm (A4), 255 mm (B4), 303 mm (A3). */
export type PageWidth = 'a4' | 'b4' | 'a3';
export type PageLength = 'a4' | 'b4' | 'unlimited';
export type EcmFrameSize = 256 | 64;
/** Minimum scan-line time in milliseconds. */
export type ScanTime = 0 | 5 | 10 | 20 | 40;

/** DIS/DTC bits 11-14: the modem sets a receiver offers. Code 0 is V.27 ter "fall-back" (2400 bit/s only). */
export const DIS_RATE_CODES = [
  { code: 0, modems: ['v27ter'], bitRates: [2400] },
  { code: 2, modems: ['v27ter'], bitRates: [4800, 2400] },
  { code: 1, modems: ['v29'], bitRates: [9600, 7200] },
  { code: 3, modems: ['v27ter', 'v29'], bitRates: [9600, 7200, 4800, 2400] },
  { code: 11, modems: ['v27ter', 'v29', 'v17'], bitRates: [14400, 12000, 9600, 7200, 4800, 2400] },
] as const satisfies readonly { code: number; modems: readonly Modem[]; bitRates: readonly number[] }[];

/** DCS bits 11-14: the one modem and rate selected. */
export const DCS_RATE_CODES = [
  { code: 0, modem: 'v27ter', bitRate: 2400 },
  { code: 2, modem: 'v27ter', bitRate: 4800 },
  { code: 3, modem: 'v29', bitRate: 7200 },
  { code: 1, modem: 'v29', bitRate: 9600 },
  { code: 11, modem: 'v17', bitRate: 7200 },
  { code: 9, modem: 'v17', bitRate: 9600 },
  { code: 10, modem: 'v17', bitRate: 12000 },
  { code: 8, modem: 'v17', bitRate: 14400 },
] as const satisfies readonly { code: number; modem: Modem; bitRate: number }[];

/** Bits 17-18. DIS lists widths cumulatively; code 3 is invalid. */
export const DIS_WIDTH_CODES: readonly (readonly PageWidth[])[] = [['a4'], ['a4', 'b4'], ['a4', 'b4', 'a3']];
export const DCS_WIDTH_CODES: readonly PageWidth[] = ['a4', 'b4', 'a3'];
/** Bits 19-20 in DIS and DCS alike (DIS: the longest accepted); code 3 is invalid. */
export const LENGTH_CODES: readonly PageLength[] = ['a4', 'b4', 'unlimited'];

/**
 * Bits 21-23. In DIS codes 3, 5 and 6 say that at fine resolution the time may be halved; DCS does not use them.
 */
export const SCAN_TIME_CODES: readonly { readonly ms: ScanTime; readonly halvedAtFine: boolean }[] = [
  { ms: 20, halvedAtFine: false },
  { ms: 5, halvedAtFine: false },
  { ms: 10, halvedAtFine: false },
  { ms: 20, halvedAtFine: true },
  { ms: 40, halvedAtFine: false },
  { ms: 40, halvedAtFine: true },
  { ms: 10, halvedAtFine: true },
  { ms: 0, halvedAtFine: false },
];
