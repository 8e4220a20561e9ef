// Building requests: a new one (RFC 3261 §8.1.1), CANCEL (§9.1), the ACK for a non-2xx final response (§17.1.1.3).
import { encodeCSeq } from './cseq.js';
import { encodeNameAddr, type NameAddr } from './name-addr.js';
import { cseqOf } from './sip-fields.js';
import { canonicalHeaderName, headerValue, headerValues } from './sip-headers.js';
import type { SipHeader, SipRequest, SipResponse } from './sip-message-types.js';
import { encodeVia, type Via } from './via.js';

export interface SipRequestFields {
  readonly method: string;
  readonly uri: string;
  /** The one Via this element adds; its branch must start with `BRANCH_MAGIC_COOKIE` and be new per transaction. */
  readonly via: Via;
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: number;
  /** RFC 3261 §8.1.1.6: 70 unless there is a reason otherwise. */
  readonly maxForwards?: number;
  /** Further headers (Contact, Route, Authorization, Content-Type, …) after the mandatory ones. */
  readonly headers?: readonly SipHeader[];
  readonly body?: Uint8Array;
}

export function createSipRequest(fields: SipRequestFields): SipRequest {
  return {
    kind: 'request',
    method: fields.method,
    uri: fields.uri,
    headers: [
      { name: 'Via', value: encodeVia(fields.via) },
      { name: 'Max-Forwards', value: String(fields.maxForwards ?? 70) },
      { name: 'From', value: encodeNameAddr(fields.from) },
      { name: 'To', value: encodeNameAddr(fields.to) },
      { name: 'Call-ID', value: fields.callId },
      { name: 'CSeq', value: encodeCSeq({ seq: fields.cseq, method: fields.method }) },
      ...(fields.headers ?? []),
    ],
    body: fields.body ?? new Uint8Array(0),
  };
}

/**
 * RFC 3261 §9.1: CANCEL names the INVITE's transaction by repeating its Request-URI, Call-ID, From, To, CSeq number
 * and top Via (same branch), with Route copied; it has no body. Only send it after a provisional response.
 */
export function createCancel(invite: SipRequest): SipRequest {
  return requestLike(invite, 'CANCEL', headerValue(invite.headers, 'To') ?? '');
}

/**
 * RFC 3261 §17.1.1.3: the transaction's own ACK for a 300–699 response: the INVITE's Request-URI, Call-ID, From,
 * CSeq number and top Via, the To of the response (it carries the UAS's tag), Route copied, no body.
 */
export function createNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  return requestLike(invite, 'ACK', headerValue(response.headers, 'To') ?? '');
}

function requestLike(invite: SipRequest, method: string, to: string): SipRequest {
  const header = (name: string, value: string): SipHeader => ({ name: canonicalHeaderName(name), value });
  return {
    kind: 'request',
    method,
    uri: invite.uri,
    headers: [
      header('Via', headerValues(invite.headers, 'Via')[0] ?? ''),
      header('Max-Forwards', '70'),
      header('From', headerValue(invite.headers, 'From') ?? ''),
      header('To', to),
      header('Call-ID', headerValue(invite.headers, 'Call-ID') ?? ''),
      header('CSeq', encodeCSeq({ seq: cseqOf(invite).seq, method })),
      ...headerValues(invite.headers, 'Route').map((value) => header('Route', value)),
    ],
    body: new Uint8Array(0),
  };
}
