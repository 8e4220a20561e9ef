// Identification fields of CSI, TSI, CIG and the like-coded SUB, SID, PWD, SEP, PSA (T.30 §5.3.6.2, Table 3).
//
// The field is 20 characters; the last character of the identity goes on the line first and unused positions are
// spaces, which therefore come last on the line. Each character is an octet sent least significant bit first, so in
// faxd's MSB-first storage every character octet appears bit-reversed (as Wireshark's T.38 dissector also reads it).

import { reverseOctet } from '../../hdlc/bit-order.js';

export const IDENT_LENGTH = 20;
const SPACE = 0x20;

function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** The 20-octet field for `ident`. Throws when it is longer than 20 characters or not printable ASCII. */
export function encodeIdent(ident: string): Uint8Array {
  if (ident.length > IDENT_LENGTH) throw new Error(`identity "${ident}" is longer than ${IDENT_LENGTH} characters`);
  const out = new Uint8Array(IDENT_LENGTH).fill(reverseOctet(SPACE));
  for (let i = 0; i < ident.length; i++) {
    const code = ident.charCodeAt(ident.length - 1 - i);
    if (!isPrintable(code)) throw new Error(`identity "${ident}" holds a character outside printable ASCII`);
    out[i] = reverseOctet(code);
  }
  return out;
}

/**
 * The identity in a field of any length, without padding. Peers differ: some send fewer than 20 octets, some pad
 * with NUL; anything outside printable ASCII reads as a space, so decoding never fails.
 */
export function decodeIdent(fif: Uint8Array): string {
  let text = '';
  for (let i = fif.length - 1; i >= 0; i--) {
    const code = reverseOctet(fif[i]);
    text += isPrintable(code) ? String.fromCharCode(code) : ' ';
  }
  return text.trim();
}
