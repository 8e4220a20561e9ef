// The identifiers and headers a fax call stamps on what it sends (RFC 3261 §8.1.1.7 branch, §19.3 tags, §20 headers;
// RFC 4028 §9 Session-Expires).
import { headerValue, type SipHeader } from './sip-headers.js';
import type { SipRequest } from './sip-message.js';
import { BRANCH_MAGIC_COOKIE, type Via } from './via.js';

type Local = { readonly host: string; readonly port: number };

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE';

/** `length` characters of [0-9a-z] drawn from `random`. */
export function token(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 36).toString(36);
  return text;
}

/** A fresh top Via for a new request: a new branch each time, and `rport` so NATed replies still find us. */
export function createCallVia(local: Local, random: () => number): Via {
  const params = new Map<string, string | null>([
    ['branch', `${BRANCH_MAGIC_COOKIE}${token(random, 16)}`],
    ['rport', null],
  ]);
  return { transport: 'UDP', host: local.host, port: local.port, params };
}

/** Contact, Allow, Supported and User-Agent: what every INVITE, BYE and 2xx of ours carries. */
export function commonCallHeaders(local: Local, user: string): SipHeader[] {
  return [
    { name: 'Contact', value: `<sip:${user}@${local.host}:${local.port}>` },
    { name: 'Allow', value: ALLOW },
    { name: 'Supported', value: 'timer' },
    { name: 'User-Agent', value: 'faxd' },
  ];
}

/** RFC 4028 §9: echo the interval with the requester as refresher, which obliges `Require: timer`. */
export function sessionTimerHeaders(request: SipRequest): SipHeader[] {
  const value = headerValue(request.headers, 'Session-Expires');
  const interval = value && /^\s*([0-9]{1,10})/.exec(value)?.[1];
  if (!interval) return [];
  return [
    { name: 'Session-Expires', value: `${interval};refresher=uac` },
    { name: 'Require', value: 'timer' },
  ];
}
