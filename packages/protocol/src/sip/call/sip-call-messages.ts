// The identifiers and headers a fax call stamps on what it sends (RFC 3261 §8.1.1.7 branch, §19.3 tags, §20 headers).

import type { SipHeader } from '../message/sip-message-types.js';
import { BRANCH_MAGIC_COOKIE, type Via } from '../message/via.js';
import type { SipFaxCallOptions } from './sip-call-types.js';

type Local = SipFaxCallOptions['local'];

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
  return { transport: local.transport ?? 'UDP', host: local.host, port: local.port, params };
}

/**
 * The Contact URI of `user` at `local`. Over TCP it says so (RFC 3261 §19.1.4), or the peer would send its requests
 * to us over UDP; over TLS it is a sips: URI (RFC 3261 §26.2.1: requests to it must arrive over TLS).
 */
export function contactUriOf(local: Local, user: string): string {
  const address = `${user}@${local.host}:${local.port}`;
  if (local.transport === 'TLS') return `sips:${address}`;
  return local.transport === 'TCP' ? `sip:${address};transport=tcp` : `sip:${address}`;
}

/** Contact, Allow, Supported and User-Agent: what every INVITE, BYE and 2xx of ours carries. */
export function commonCallHeaders(local: Local, user: string): SipHeader[] {
  return [
    { name: 'Contact', value: `<${contactUriOf(local, user)}>` },
    { name: 'Allow', value: ALLOW },
    { name: 'Supported', value: 'timer' },
    { name: 'User-Agent', value: 'faxd' },
  ];
}
