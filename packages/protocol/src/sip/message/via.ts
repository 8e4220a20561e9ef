// Via header values (RFC 3261 §20.42, §18.2.1 received, RFC 3581 rport): `SIP/2.0/UDP host:port;branch=z9hG4bK…`.
import { SipDecodeError } from './sip-decode-error.js';
import { decodeParams, encodeParams, isToken, type SipParams } from './sip-syntax.js';
import { decodeHostPort } from './sip-uri.js';

export interface Via {
  /** The transport in upper case: UDP, TCP, TLS, SCTP, WS, … */
  readonly transport: string;
  readonly host: string;
  readonly port?: number;
  /** branch, received, rport (null when sent bare as a request for it), maddr, ttl, … by lower-cased name. */
  readonly params: SipParams;
}

/** The transports a fax call's SIP goes over (RFC 3261 §18), as Via's sent-protocol names them. */
export type SipTransportName = 'UDP' | 'TCP' | 'TLS';

/** RFC 3261 §8.1.1.7: a branch starting with this cookie was built by an RFC 3261 element, so it is unique. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export function decodeVia(text: string): Via {
  // sent-protocol allows linear white space around each `/` (RFC 3261 §25.1 SLASH).
  const match = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([^\s/;]+)\s+([^;\s]+)\s*(;.*)?$/is.exec(text);
  if (!match) throw new SipDecodeError('Bad Via header', 0);
  const transport = match[1].toUpperCase();
  if (!isToken(transport)) throw new SipDecodeError('Bad Via transport', 0);
  const { host, port } = decodeHostPort(match[2], 'Via sent-by');
  const params = decodeParams(match[3] ?? '', 'Via');
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !/^[0-9]{1,5}$/.test(rport))
    throw new SipDecodeError('Bad Via rport', 0);
  if (params.get('branch') === null) throw new SipDecodeError('Bad Via branch', 0);
  return { transport, host, ...(port !== undefined && { port }), params };
}

export function encodeVia(via: Via): string {
  const port = via.port !== undefined ? `:${via.port}` : '';
  return `SIP/2.0/${via.transport} ${via.host}${port}${encodeParams(via.params)}`;
}

/** The branch parameter, if any. */
export function branchOf(via: Via): string | undefined {
  return via.params.get('branch') ?? undefined;
}
