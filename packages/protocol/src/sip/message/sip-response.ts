// Building a response to a request (RFC 3261 §8.2.6.2) and the standard reason phrases (RFC 3261 §21, RFC 4028).
import { decodeNameAddr } from './name-addr.js';
import { canonicalHeaderName, headerValues } from './sip-headers.js';
import type { SipHeader, SipRequest, SipResponse } from './sip-message-types.js';

const REASON_PHRASES: ReadonlyMap<number, string> = new Map([
  [100, 'Trying'],
  [180, 'Ringing'],
  [181, 'Call Is Being Forwarded'],
  [182, 'Queued'],
  [183, 'Session Progress'],
  [200, 'OK'],
  [202, 'Accepted'],
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [405, 'Method Not Allowed'],
  [406, 'Not Acceptable'],
  [407, 'Proxy Authentication Required'],
  [408, 'Request Timeout'],
  [410, 'Gone'],
  [413, 'Request Entity Too Large'],
  [415, 'Unsupported Media Type'],
  [416, 'Unsupported URI Scheme'],
  [420, 'Bad Extension'],
  [421, 'Extension Required'],
  [422, 'Session Interval Too Small'],
  [423, 'Interval Too Brief'],
  [480, 'Temporarily Unavailable'],
  [481, 'Call/Transaction Does Not Exist'],
  [482, 'Loop Detected'],
  [483, 'Too Many Hops'],
  [484, 'Address Incomplete'],
  [485, 'Ambiguous'],
  [486, 'Busy Here'],
  [487, 'Request Terminated'],
  [488, 'Not Acceptable Here'],
  [489, 'Bad Event'],
  [491, 'Request Pending'],
  [493, 'Undecipherable'],
  [500, 'Server Internal Error'],
  [501, 'Not Implemented'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Server Time-out'],
  [505, 'Version Not Supported'],
  [513, 'Message Too Large'],
  [600, 'Busy Everywhere'],
  [603, 'Decline'],
  [604, 'Does Not Exist Anywhere'],
  [606, 'Not Acceptable'],
]);

/** Generic phrases for codes without their own, by class (RFC 3261 §21: the class alone tells a UAC what to do). */
const CLASS_PHRASES = ['Provisional', 'Success', 'Redirection', 'Client Error', 'Server Error', 'Global Failure'];

/** The RFC's reason phrase for `status`, or a generic one for its class. */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES.get(status) ?? CLASS_PHRASES[Math.floor(status / 100) - 1] ?? '';
}

export interface SipResponseOptions {
  readonly reason?: string;
  /**
   * The To tag to add when the request's To has none (RFC 3261 §8.2.6.2: every response but 100 that may create a
   * dialog carries one; the same tag for every response to the request). Ignored for 100 Trying.
   */
  readonly toTag?: string;
  /** Extra headers (Contact, Allow, Supported, WWW-Authenticate, Content-Type, …) after the copied ones. */
  readonly headers?: readonly SipHeader[];
  readonly body?: Uint8Array;
}

/** Copied unchanged from the request, in this order (RFC 3261 §8.2.6.2); Via keeps every value in order. */
const COPIED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/** A response to `request`: Via, From, To (+tag), Call-ID and CSeq copied, then `options.headers` and the body. */
export function createSipResponse(request: SipRequest, status: number, options: SipResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = [];
  for (const name of COPIED) {
    for (let value of headerValues(request.headers, name)) {
      // Appending keeps the peer's own spelling of To; in both name-addr and addr-spec form `;tag=` is a header param.
      if (name === 'To' && status !== 100 && options.toTag !== undefined && !decodeNameAddr(value).params.has('tag')) {
        value = `${value};tag=${options.toTag}`;
      }
      headers.push({ name: canonicalHeaderName(name), value });
    }
  }
  headers.push(...(options.headers ?? []));
  return {
    kind: 'response',
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: options.body ?? new Uint8Array(0),
  };
}
