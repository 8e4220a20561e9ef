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
 * Contact, Allow, Supported and User-Agent: what every INVITE, BYE and 2xx of ours carries. Over TCP the Contact URI
 * says so (RFC 3261 §19.1.4), or the peer would send its in-dialog requests to us over UDP.
 */
export function commonCallHeaders(local: Local, user: string): SipHeader[] {
  const transport = local.transport === 'TCP' ? ';transport=tcp' : '';
  return [
    { name: 'Contact', value: `<sip:${user}@${local.host}:${local.port}${transport}>` },
    { name: 'Allow', value: ALLOW },
    { name: 'Supported', value: 'timer' },
    { name: 'User-Agent', value: 'faxd' },
  ];
}
