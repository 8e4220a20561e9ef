// Error-correction-mode information fields: FCD, PPS, PPR, EOR and CTC (T.4 Annex A; T.30 Annex A and Table 2).
//
// Counters and frame numbers are binary octets sent least significant bit first, so in faxd's MSB-first storage
// they appear bit-reversed; these codecs convert. A PPR map marks frame k at FIF bit k+1, which in MSB-first storage
// is octet k div 8, mask 0x80 >> (k mod 8).

import { DecodeError } from '../../bits/decode-error.js';
import { reverseOctet } from '../../hdlc/bit-order.js';
import { DCS_RATE_CODES, type Modem, RATE_FIELD } from './dis-dcs-bits.js';
import { decodeFcf, encodeFcf } from './fcf.js';

/** Frames in a block and octets in a PPR map. */
export const ECM_FRAMES_PER_BLOCK = 256;
const PPR_MAP_OCTETS = ECM_FRAMES_PER_BLOCK / 8;

/** FCF2 of PPS and EOR: NULL inside a page, otherwise the post-message command that ends the page. */
export type PostMessageCommand = 'NULL' | 'MPS' | 'EOP' | 'EOM' | 'EOS' | 'PRI-MPS' | 'PRI-EOP' | 'PRI-EOM';
const POST_MESSAGE_COMMANDS: readonly string[] = ['MPS', 'EOP', 'EOM', 'EOS', 'PRI-MPS', 'PRI-EOP', 'PRI-EOM'];

/** One facsimile coded data frame of a block (T.4 A.3.6.1): FIF = frame number, then the image octets. */
export interface FcdFrame {
  readonly frameNumber: number;
  readonly data: Uint8Array;
}

/** PPS FIF: FCF2, page counter, block counter, frames in the block minus one (each modulo 256). */
export interface PartialPageSignal {
  readonly command: PostMessageCommand;
  readonly pageCounter: number;
  readonly blockCounter: number;
  /** 1 to 256. */
  readonly frameCount: number;
}

export interface EcmRate {
  readonly modem: Modem;
  readonly bitRate: number;
}

function checkLength(fif: Uint8Array, length: number, what: string): void {
  if (fif.length < length) throw new DecodeError(`${what} needs ${length} octets, got ${fif.length}`, fif.length);
}

function checkOctet(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new Error(`${what} ${value} is not 0..255`);
  return value;
}

export function decodeFcd(fif: Uint8Array): FcdFrame {
  checkLength(fif, 2, 'FCD');
  if (fif.length > 1 + ECM_FRAMES_PER_BLOCK) throw new DecodeError('FCD holds more than 256 octets of data', 257);
  return { frameNumber: reverseOctet(fif[0]), data: fif.slice(1) };
}

export function encodeFcd(frame: FcdFrame): Uint8Array {
  const out = new Uint8Array(1 + frame.data.length);
  out[0] = reverseOctet(checkOctet(frame.frameNumber, 'FCD frame number'));
  out.set(frame.data, 1);
  return out;
}

export function decodePostMessageCommand(octet: number): PostMessageCommand {
  if (octet === 0) return 'NULL';
  const fcf = decodeFcf(octet);
  if (!fcf || !POST_MESSAGE_COMMANDS.includes(fcf.name)) {
    throw new DecodeError(`FCF2 ${octet.toString(16)} is not a post-message command`, 0);
  }
  return fcf.name as PostMessageCommand;
}

/** FCF2 carries the X bit like any FCF; NULL is all zeros. */
export function encodePostMessageCommand(command: PostMessageCommand, xBit: boolean): number {
  return command === 'NULL' ? 0 : encodeFcf(command, xBit);
}

export function decodePps(fif: Uint8Array): PartialPageSignal {
  checkLength(fif, 4, 'PPS');
  return {
    command: decodePostMessageCommand(fif[0]),
    pageCounter: reverseOctet(fif[1]),
    blockCounter: reverseOctet(fif[2]),
    frameCount: reverseOctet(fif[3]) + 1,
  };
}

export function encodePps(pps: PartialPageSignal, xBit: boolean): Uint8Array {
  if (!Number.isInteger(pps.frameCount) || pps.frameCount < 1 || pps.frameCount > ECM_FRAMES_PER_BLOCK) {
    throw new Error(`PPS frame count ${pps.frameCount} is not 1..256`);
  }
  return Uint8Array.of(
    encodePostMessageCommand(pps.command, xBit),
    reverseOctet(checkOctet(pps.pageCounter, 'PPS page counter')),
    reverseOctet(checkOctet(pps.blockCounter, 'PPS block counter')),
    reverseOctet(pps.frameCount - 1),
  );
}

/** The frame numbers a PPR asks to be sent again, ascending. */
export function decodePpr(fif: Uint8Array): number[] {
  checkLength(fif, PPR_MAP_OCTETS, 'PPR');
  const frames: number[] = [];
  for (let k = 0; k < ECM_FRAMES_PER_BLOCK; k++) {
    if (fif[k >> 3] & (0x80 >> (k & 7))) frames.push(k);
  }
  return frames;
}

export function encodePpr(frames: Iterable<number>): Uint8Array {
  const out = new Uint8Array(PPR_MAP_OCTETS);
  for (const k of frames) {
    if (!Number.isInteger(k) || k < 0 || k >= ECM_FRAMES_PER_BLOCK) throw new Error(`PPR frame ${k} is not 0..255`);
    out[k >> 3] |= 0x80 >> (k & 7);
  }
  return out;
}

/** CTC FIF: two octets laid out as the start of a DCS, of which only the rate bits 11-14 count (T.30 Annex A). */
export function decodeCtc(fif: Uint8Array): EcmRate {
  checkLength(fif, 2, 'CTC');
  let code = 0;
  for (let i = 0; i < RATE_FIELD.count; i++) {
    const bit = RATE_FIELD.bit + i;
    if (fif[(bit - 1) >> 3] & (0x80 >> ((bit - 1) & 7))) code |= 1 << i;
  }
  const rate = DCS_RATE_CODES.find((row) => row.code === code);
  if (!rate) throw new DecodeError(`CTC rate code ${code} is reserved`, 1);
  return { modem: rate.modem, bitRate: rate.bitRate };
}

export function encodeCtc(rate: EcmRate): Uint8Array {
  const row = DCS_RATE_CODES.find((entry) => entry.modem === rate.modem && entry.bitRate === rate.bitRate);
  if (!row) throw new Error(`CTC cannot select ${rate.modem} at ${rate.bitRate} bit/s`);
  const out = new Uint8Array(2);
  for (let i = 0; i < RATE_FIELD.count; i++) {
    const bit = RATE_FIELD.bit + i;
    if (row.code & (1 << i)) out[(bit - 1) >> 3] |= 0x80 >> ((bit - 1) & 7);
  }
  return out;
}
