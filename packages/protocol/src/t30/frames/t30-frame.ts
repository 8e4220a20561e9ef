// T.30 HDLC frames (T.30 §5.3): address, control and FCF checked, the information field decoded by frame type.
//
// Frames are MSB-first octets as T.38 carries them (see t30/README.md): address 0xFF, control 0xC0 for a non-final
// frame and 0xC8 for the final frame of a burst (0x03 and 0x13 in LSB-first storage), FCS excluded.

import { DecodeError } from '../../bits/decode-error.js';
import { type Dcs, type Dis, decodeDcs, decodeDis, encodeDcs, encodeDis } from './dis-dcs.js';
import {
  decodeCtc,
  decodeFcd,
  decodePostMessageCommand,
  decodePpr,
  decodePps,
  type EcmRate,
  encodeCtc,
  encodeFcd,
  encodePostMessageCommand,
  encodePpr,
  encodePps,
  type PartialPageSignal,
  type PostMessageCommand,
} from './ecm-frames.js';
import { decodeFcf, encodeFcf, type FcfName } from './fcf.js';
import { decodeIdent, encodeIdent } from './ident.js';

export const HDLC_ADDRESS = 0xff;
export const CONTROL_NON_FINAL = 0xc0;
export const CONTROL_FINAL = 0xc8;

const IDENT_TYPES = ['CSI', 'TSI', 'CIG', 'SUB', 'SID', 'PWD', 'SEP', 'PSA'] as const;
/** Frames whose information field faxd carries without interpreting it (NSF-like, internet addresses, Annex C). */
const OPAQUE_TYPES = ['NSF', 'NSC', 'NSS', 'CIA', 'ISP', 'TSA', 'IRA', 'CSA', 'FNV', 'FDM', 'DNK'] as const;
const OPAQUE_SECURITY_TYPES = ['TK', 'RK', 'DES', 'DEC', 'DER', 'SPI'] as const;
const SIMPLE_TYPES = [
  ...['CFR', 'FTT', 'CTR', 'EOM', 'MPS', 'EOP', 'EOS', 'PRI-EOM', 'PRI-MPS', 'PRI-EOP', 'RR', 'MCF', 'RTP'],
  ...['RTN', 'PIP', 'PIN', 'RNR', 'ERR', 'PID', 'DCN', 'CRP', 'TNR', 'TR', 'RCP'],
] as const;

export type IdentFrameType = (typeof IDENT_TYPES)[number];
export type OpaqueFrameType = (typeof OPAQUE_TYPES)[number] | (typeof OPAQUE_SECURITY_TYPES)[number];
export type SimpleFrameType = (typeof SIMPLE_TYPES)[number];

export type T30Frame =
  | { readonly type: 'DIS' | 'DTC'; readonly dis: Dis }
  | { readonly type: 'DCS'; readonly dcs: Dcs }
  | { readonly type: IdentFrameType; readonly ident: string }
  | { readonly type: OpaqueFrameType; readonly fif: Uint8Array }
  | { readonly type: 'PPS'; readonly pps: PartialPageSignal }
  | { readonly type: 'EOR'; readonly command: PostMessageCommand }
  | { readonly type: 'PPR'; readonly frames: readonly number[] }
  | { readonly type: 'CTC'; readonly rate: EcmRate }
  | { readonly type: 'FCD'; readonly frameNumber: number; readonly data: Uint8Array }
  | { readonly type: SimpleFrameType };

export type T30FrameType = T30Frame['type'];

/** A frame as received: the decoded frame, whether the control field marked it final, and its X bit. */
export interface ReceivedT30Frame {
  readonly frame: T30Frame;
  readonly final: boolean;
  readonly xBit: boolean;
}

export interface EncodeT30FrameOptions {
  /** Last frame of the burst (P/F bit); default true. */
  readonly final?: boolean;
  /** Set by the station that received DIS; ignored for codes without an X bit. Default false. */
  readonly xBit?: boolean;
}

function isOneOf<T extends string>(list: readonly T[], name: string): name is T {
  return (list as readonly string[]).includes(name);
}

/** Decodes a whole frame (address, control, FCF, FIF). Throws DecodeError for anything malformed or unknown. */
export function decodeT30Frame(bytes: Uint8Array): ReceivedT30Frame {
  if (bytes.length < 3) throw new DecodeError('a T.30 frame needs address, control and FCF', bytes.length);
  if (bytes[0] !== HDLC_ADDRESS) throw new DecodeError(`address ${bytes[0].toString(16)} is not 0xff`, 0);
  if (bytes[1] !== CONTROL_NON_FINAL && bytes[1] !== CONTROL_FINAL) {
    throw new DecodeError(`control ${bytes[1].toString(16)} is neither 0xc0 nor 0xc8`, 1);
  }
  const fcf = decodeFcf(bytes[2]);
  if (!fcf) throw new DecodeError(`FCF ${bytes[2].toString(16)} is not assigned`, 2);
  const frame = decodeInformation(fcf.name, bytes.subarray(3));
  return { frame, final: bytes[1] === CONTROL_FINAL, xBit: fcf.xBit };
}

function decodeInformation(name: FcfName, fif: Uint8Array): T30Frame {
  switch (name) {
    case 'DIS':
    case 'DTC':
      return { type: name, dis: decodeDis(fif) };
    case 'DCS':
      return { type: name, dcs: decodeDcs(fif) };
    case 'PPS':
      return { type: name, pps: decodePps(fif) };
    case 'EOR':
      if (fif.length < 1) throw new DecodeError('EOR needs its FCF2 octet', 3);
      return { type: name, command: decodePostMessageCommand(fif[0]) };
    case 'PPR':
      return { type: name, frames: decodePpr(fif) };
    case 'CTC':
      return { type: name, rate: decodeCtc(fif) };
    case 'FCD':
      return { type: name, ...decodeFcd(fif) };
  }
  if (isOneOf(IDENT_TYPES, name)) return { type: name, ident: decodeIdent(fif) };
  if (isOneOf(OPAQUE_TYPES, name) || isOneOf(OPAQUE_SECURITY_TYPES, name)) return { type: name, fif: fif.slice() };
  // Signals without information: some peers append stray octets, which are ignored.
  if (isOneOf(SIMPLE_TYPES, name)) return { type: name };
  throw new DecodeError(`${name} is not expected as a received frame`, 2);
}

/** Encodes a frame with address, control and FCF (no FCS). */
export function encodeT30Frame(frame: T30Frame, options: EncodeT30FrameOptions = {}): Uint8Array {
  const xBit = options.xBit ?? false;
  const fif = encodeInformation(frame, xBit);
  const out = new Uint8Array(3 + fif.length);
  out[0] = HDLC_ADDRESS;
  out[1] = (options.final ?? true) ? CONTROL_FINAL : CONTROL_NON_FINAL;
  out[2] = encodeFcf(frame.type, xBit);
  out.set(fif, 3);
  return out;
}

function encodeInformation(frame: T30Frame, xBit: boolean): Uint8Array {
  if ('dis' in frame) return encodeDis(frame.dis);
  if ('dcs' in frame) return encodeDcs(frame.dcs);
  if ('ident' in frame) return encodeIdent(frame.ident);
  if ('fif' in frame) return frame.fif.slice();
  if ('pps' in frame) return encodePps(frame.pps, xBit);
  if ('command' in frame) return Uint8Array.of(encodePostMessageCommand(frame.command, xBit));
  if ('frames' in frame) return encodePpr(frame.frames);
  if ('rate' in frame) return encodeCtc(frame.rate);
  if ('frameNumber' in frame) return encodeFcd(frame);
  return new Uint8Array(0);
}
