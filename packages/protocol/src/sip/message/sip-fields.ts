// Typed access to the header fields every request and response carries (RFC 3261 §8.1.1, §20) and their checks.
import { type CSeq, decodeCSeq } from './cseq.js';
import { decodeNameAddr, type NameAddr } from './name-addr.js';
import { SipDecodeError } from './sip-decode-error.js';
import { headerValues } from './sip-headers.js';
import type { SipMessage } from './sip-message-types.js';
import { decodeDecimal } from './sip-syntax.js';
import { decodeSipUri } from './sip-uri.js';
import { decodeVia, type Via } from './via.js';

/** Headers that may appear once at most: a second From or Content-Length makes the message ambiguous. */
const SINGLE_HEADERS = ['From', 'To', 'Call-ID', 'CSeq', 'Content-Length', 'Content-Type', 'Max-Forwards'];

function single(message: SipMessage, name: string): string {
  const values = headerValues(message.headers, name);
  if (values.length === 0) throw new SipDecodeError(`Missing ${name} header`, 0);
  return values[0];
}

/** Every Via, topmost first (the top one names the transaction, RFC 3261 §17.1.3, §17.2.3). */
export function viasOf(message: SipMessage): Via[] {
  const values = headerValues(message.headers, 'Via');
  if (values.length === 0) throw new SipDecodeError('Missing Via header', 0);
  return values.map(decodeVia);
}

export function topViaOf(message: SipMessage): Via {
  const value = headerValues(message.headers, 'Via')[0];
  if (value === undefined) throw new SipDecodeError('Missing Via header', 0);
  return decodeVia(value);
}

export function fromOf(message: SipMessage): NameAddr {
  return decodeNameAddr(single(message, 'From'), 'From header');
}

export function toOf(message: SipMessage): NameAddr {
  return decodeNameAddr(single(message, 'To'), 'To header');
}

export function callIdOf(message: SipMessage): string {
  const callId = single(message, 'Call-ID');
  // RFC 3261 §25.1: callid = word ["@" word]; no white space inside.
  if (!/^[^\s"<>]+$/.test(callId)) throw new SipDecodeError('Bad Call-ID header', 0);
  return callId;
}

export function cseqOf(message: SipMessage): CSeq {
  return decodeCSeq(single(message, 'CSeq'));
}

/** Max-Forwards, or undefined when absent (RFC 3261 §8.1.1.6 asks for 70 in new requests). */
export function maxForwardsOf(message: SipMessage): number | undefined {
  const value = headerValues(message.headers, 'Max-Forwards')[0];
  if (value === undefined) return undefined;
  const hops = decodeDecimal(value, 3, 'Max-Forwards');
  if (hops > 255) throw new SipDecodeError('Bad Max-Forwards', 0);
  return hops;
}

/**
 * The checks `decodeSipMessage` makes after splitting the headers: the mandatory fields of RFC 3261 §8.1.1 are present
 * once and well formed, and a request's CSeq method matches its method (§8.1.1.5). Max-Forwards is checked when
 * present but not required: a UAS has no use for it and §8.2 does not list it among the reasons to reject.
 */
export function validateMessageFields(message: SipMessage): void {
  for (const name of SINGLE_HEADERS) {
    if (headerValues(message.headers, name).length > 1) throw new SipDecodeError(`Duplicate ${name} header`, 0);
  }
  viasOf(message);
  fromOf(message);
  toOf(message);
  callIdOf(message);
  const cseq = cseqOf(message);
  maxForwardsOf(message);
  if (message.kind === 'request') {
    if (cseq.method !== message.method) throw new SipDecodeError('CSeq method does not match the request', 0);
    if (/^sips?:/i.test(message.uri)) decodeSipUri(message.uri);
  }
}
