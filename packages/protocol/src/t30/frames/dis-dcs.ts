// DIS/DTC and DCS facsimile information fields as typed objects (T.30 §5.3.6.2 and Table 2), MSB-first.
//
// Decoding keeps every set bit it does not interpret in `unknownBits`, and the field length in `fifLength`, so that
// encoding a decoded field gives back the same octets. DTC uses the DIS layout.

import { DecodeError } from '../../bits/decode-error.js';
import {
  COMPRESSION_BITS,
  type CodingScheme,
  DCS_ECM_64_BIT,
  DCS_FLAG_BITS,
  DCS_RATE_CODES,
  DCS_WIDTH_CODES,
  type DcsFlag,
  DIS_ECM_64_PREFERRED_BIT,
  DIS_FLAG_BITS,
  DIS_RATE_CODES,
  DIS_WIDTH_CODES,
  type DisFlag,
  ECM_BIT,
  type EcmFrameSize,
  LENGTH_CODES,
  LENGTH_FIELD,
  type Modem,
  type PageLength,
  type PageWidth,
  RATE_FIELD,
  RESOLUTION_BITS,
  type Resolution,
  SCAN_TIME_CODES,
  SCAN_TIME_FIELD,
  type ScanTime,
  WIDTH_FIELD,
} from './dis-dcs-bits.js';
import { FifBitReader, FifBitWriter } from './fif-bits.js';

/** What a DIS (or DTC) offers. */
export interface Dis {
  readonly modems: ReadonlySet<Modem>;
  readonly bitRates: ReadonlySet<number>;
  /** Always holds 'standard'. */
  readonly resolutions: ReadonlySet<Resolution>;
  readonly widths: ReadonlySet<PageWidth>;
  readonly maxLength: PageLength;
  /** Always holds 'mh'. */
  readonly compressions: ReadonlySet<CodingScheme>;
  readonly ecm: boolean;
  /** 64 when the receiver prefers 64-octet ECM frames (bit 7). */
  readonly ecmFrameSize: EcmFrameSize;
  readonly minScanLineTime: ScanTime;
  /** Whether the scan-line time may be halved at fine resolution (codes 3, 5, 6). */
  readonly scanTimeHalvedAtFine: boolean;
  readonly flags: ReadonlySet<DisFlag>;
  /** Set bits faxd does not interpret (extend bits excluded), re-encoded verbatim. */
  readonly unknownBits?: readonly number[];
  /** Octets in the field as received; encoding never makes the field shorter than this. */
  readonly fifLength?: number;
}

/** What a DCS selects. */
export interface Dcs {
  readonly modem: Modem;
  readonly bitRate: number;
  readonly resolution: Resolution;
  readonly width: PageWidth;
  readonly length: PageLength;
  readonly compression: CodingScheme;
  readonly ecm: boolean;
  readonly ecmFrameSize: EcmFrameSize;
  readonly minScanLineTime: ScanTime;
  readonly flags: ReadonlySet<DcsFlag>;
  readonly unknownBits?: readonly number[];
  readonly fifLength?: number;
}

function sameMembers<T>(set: ReadonlySet<T>, list: readonly T[]): boolean {
  return set.size === list.length && list.every((item) => set.has(item));
}

function takeFlags<N extends string>(reader: FifBitReader, table: readonly { bit: number; name: N }[]): Set<N> {
  return new Set(table.filter((row) => reader.take(row.bit)).map((row) => row.name));
}

/** Decodes a DIS or DTC field; reserved codes are read as their code-0 meaning and kept in `unknownBits`. */
export function decodeDis(fif: Uint8Array): Dis {
  const reader = new FifBitReader(fif, 'DIS');
  const rate = DIS_RATE_CODES.find((row) => row.code === reader.peekField(RATE_FIELD));
  if (rate) reader.takeField(RATE_FIELD);
  const widthCode = reader.peekField(WIDTH_FIELD);
  if (widthCode < DIS_WIDTH_CODES.length) reader.takeField(WIDTH_FIELD);
  const lengthCode = reader.peekField(LENGTH_FIELD);
  if (lengthCode < LENGTH_CODES.length) reader.takeField(LENGTH_FIELD);
  const scan = SCAN_TIME_CODES[reader.peekField(SCAN_TIME_FIELD)];
  reader.takeField(SCAN_TIME_FIELD);
  const fallback = DIS_RATE_CODES[0];
  return {
    modems: new Set<Modem>((rate ?? fallback).modems),
    bitRates: new Set<number>((rate ?? fallback).bitRates),
    resolutions: new Set<Resolution>(['standard', ...takeFlags(reader, RESOLUTION_BITS)]),
    widths: new Set(DIS_WIDTH_CODES[widthCode] ?? DIS_WIDTH_CODES[0]),
    maxLength: LENGTH_CODES[lengthCode] ?? LENGTH_CODES[0],
    compressions: new Set<CodingScheme>(['mh', ...takeFlags(reader, COMPRESSION_BITS)]),
    ecm: reader.take(ECM_BIT),
    ecmFrameSize: reader.take(DIS_ECM_64_PREFERRED_BIT) ? 64 : 256,
    minScanLineTime: scan.ms,
    scanTimeHalvedAtFine: scan.halvedAtFine,
    flags: takeFlags(reader, DIS_FLAG_BITS),
    unknownBits: reader.remaining(),
    fifLength: reader.length,
  };
}

/** Encodes a DIS or DTC field. Throws (a programmer error) for a combination the field cannot express. */
export function encodeDis(dis: Dis): Uint8Array {
  const writer = new FifBitWriter();
  for (const bit of dis.unknownBits ?? []) writer.set(bit);
  const rate = DIS_RATE_CODES.find(
    (row) => sameMembers(dis.modems, row.modems) && sameMembers(dis.bitRates, row.bitRates),
  );
  if (!rate) throw new Error(`DIS cannot offer modems ${[...dis.modems]} at ${[...dis.bitRates]} bit/s`);
  writer.setField(RATE_FIELD, rate.code);
  const widthCode = DIS_WIDTH_CODES.findIndex((widths) => sameMembers(dis.widths, widths));
  if (widthCode < 0) throw new Error(`DIS cannot offer widths ${[...dis.widths]}`);
  writer.setField(WIDTH_FIELD, widthCode);
  writer.setField(LENGTH_FIELD, LENGTH_CODES.indexOf(dis.maxLength));
  writer.setField(SCAN_TIME_FIELD, scanTimeCode(dis.minScanLineTime, dis.scanTimeHalvedAtFine));
  for (const row of RESOLUTION_BITS) writer.set(row.bit, dis.resolutions.has(row.name));
  for (const row of COMPRESSION_BITS) writer.set(row.bit, dis.compressions.has(row.name));
  writer.set(ECM_BIT, dis.ecm);
  writer.set(DIS_ECM_64_PREFERRED_BIT, dis.ecmFrameSize === 64);
  for (const row of DIS_FLAG_BITS) writer.set(row.bit, dis.flags.has(row.name));
  return writer.encode(dis.fifLength);
}

function scanTimeCode(ms: ScanTime, halvedAtFine: boolean): number {
  const code = SCAN_TIME_CODES.findIndex((row) => row.ms === ms && row.halvedAtFine === halvedAtFine);
  if (code < 0) throw new Error(`no scan-line time code for ${ms} ms${halvedAtFine ? ' halved at fine' : ''}`);
  return code;
}

/**
 * Decodes a DCS field. A reserved rate, width, length or scan-time code is a DecodeError: the receiver cannot act on
 * it. When several resolution or coding bits are set, the highest is taken and the others kept in `unknownBits`.
 */
export function decodeDcs(fif: Uint8Array): Dcs {
  const reader = new FifBitReader(fif, 'DCS');
  const rate = DCS_RATE_CODES.find((row) => row.code === reader.peekField(RATE_FIELD));
  if (!rate) throw new DecodeError(`DCS rate code ${reader.peekField(RATE_FIELD)} is reserved`, 1);
  const width = DCS_WIDTH_CODES[reader.peekField(WIDTH_FIELD)];
  const length = LENGTH_CODES[reader.peekField(LENGTH_FIELD)];
  const scan = SCAN_TIME_CODES[reader.peekField(SCAN_TIME_FIELD)];
  if (!width || !length) throw new DecodeError('DCS width or length code is invalid', 2);
  if (scan.halvedAtFine) throw new DecodeError('DCS scan-line time code is reserved', 2);
  for (const field of [RATE_FIELD, WIDTH_FIELD, LENGTH_FIELD, SCAN_TIME_FIELD]) reader.takeField(field);
  const resolution = RESOLUTION_BITS.find((row) => reader.peek(row.bit));
  if (resolution) reader.take(resolution.bit);
  const compression = COMPRESSION_BITS.find((row) => reader.peek(row.bit));
  if (compression) reader.take(compression.bit);
  return {
    modem: rate.modem,
    bitRate: rate.bitRate,
    resolution: resolution?.name ?? 'standard',
    width,
    length,
    compression: compression?.name ?? 'mh',
    ecm: reader.take(ECM_BIT),
    ecmFrameSize: reader.take(DCS_ECM_64_BIT) ? 64 : 256,
    minScanLineTime: scan.ms,
    flags: takeFlags(reader, DCS_FLAG_BITS),
    unknownBits: reader.remaining(),
    fifLength: reader.length,
  };
}

/** Encodes a DCS field. Throws (a programmer error) for a modem and rate pair DCS cannot express. */
export function encodeDcs(dcs: Dcs): Uint8Array {
  const writer = new FifBitWriter();
  for (const bit of dcs.unknownBits ?? []) writer.set(bit);
  const rate = DCS_RATE_CODES.find((row) => row.modem === dcs.modem && row.bitRate === dcs.bitRate);
  if (!rate) throw new Error(`DCS cannot select ${dcs.modem} at ${dcs.bitRate} bit/s`);
  writer.setField(RATE_FIELD, rate.code);
  writer.setField(WIDTH_FIELD, DCS_WIDTH_CODES.indexOf(dcs.width));
  writer.setField(LENGTH_FIELD, LENGTH_CODES.indexOf(dcs.length));
  writer.setField(SCAN_TIME_FIELD, scanTimeCode(dcs.minScanLineTime, false));
  for (const row of RESOLUTION_BITS) if (row.name === dcs.resolution) writer.set(row.bit);
  for (const row of COMPRESSION_BITS) if (row.name === dcs.compression) writer.set(row.bit);
  writer.set(ECM_BIT, dcs.ecm);
  writer.set(DCS_ECM_64_BIT, dcs.ecmFrameSize === 64);
  for (const row of DCS_FLAG_BITS) writer.set(row.bit, dcs.flags.has(row.name));
  return writer.encode(dcs.fifLength);
}
