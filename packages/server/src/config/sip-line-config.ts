// The `sip` object of a SIP line in the faxd configuration: where the line listens, the numbers it answers, the
// server it registers with and calls through, and whom it takes requests from.

import { isIP } from 'node:net';
import { addressEntryProblem } from '../lines/address-list.js';
import { isWildcardHost } from '../lines/advertised-host.js';
import { DEFAULT_SIP_RATE_LIMIT } from '../lines/sip-request-gate.js';
import type { ConfigReader } from './config-reader.js';
import { checkedEndpoint } from './endpoint-config.js';

export interface SipLineConfig {
  /** Endpoint of the SIP socket (UDP, and TCP on the same port with `transport: "tcp"`). */
  readonly listen: string;
  /**
   * The host put in Via, Contact and SDP c= (behind NAT, or for a wildcard listen); unset, the listen host, or for
   * 0.0.0.0 / :: the first external IPv4 address of the machine.
   */
  readonly advertise: string | null;
  /** The numbers this line answers (the user part of the Request-URI). */
  readonly numbers: readonly string[];
  /** `sip:host[:port]` calls are sent through, and the registrar to keep a binding with. */
  readonly proxy: string | null;
  readonly registrar: string | null;
  readonly username: string | null;
  readonly password: string | null;
  /**
   * `tcp`: listen on UDP and TCP, and place calls and REGISTERs over TCP (RFC 3261 §18). `tls`: listen on TLS only
   * (SIPS, RFC 3261 §26.2) with the top-level `tls` certificate, and place calls over TLS too.
   */
  readonly transport: 'udp' | 'tcp' | 'tls';
  /**
   * What the calls this line places offer first: `t38` straight away, or `audio` (G.711) for trunks that refuse an
   * image-only INVITE; either way the call moves to T.38 by re-INVITE.
   */
  readonly offer: 't38' | 'audio';
  /** A call that stays on G.711 audio is faxed over it (default true); false ends it as not-fax. */
  readonly audioFax: boolean;
  /** Addresses and CIDR blocks whose requests are taken (IPv4, IPv6); null: any. Others are dropped unanswered. */
  readonly allow: readonly string[] | null;
  /** The token bucket per source address for INVITEs and REGISTERs outside calls. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Digest credentials every inbound INVITE must carry; null: not asked for. */
  readonly inboundAuth: { readonly username: string; readonly password: string; readonly realm: string } | null;
}

export function readSip(reader: ConfigReader): SipLineConfig {
  const sip: SipLineConfig = {
    listen: checkedEndpoint(reader, 'listen'),
    advertise: advertisedHost(reader, 'advertise'),
    numbers: reader.strings('numbers', /^[0-9A-Za-z+*#._-]{1,64}$/, 'a number such as "5550100"'),
    proxy: sipUri(reader, 'proxy'),
    registrar: sipUri(reader, 'registrar'),
    username: reader.optionalString('username'),
    password: reader.optionalString('password'),
    transport: reader.has('transport') ? reader.choice('transport', ['udp', 'tcp', 'tls'] as const) : 'udp',
    offer: reader.has('offer') ? reader.choice('offer', ['t38', 'audio'] as const) : 't38',
    audioFax: reader.boolean('audioFax', true),
    allow: reader.has('allow') ? addressList(reader, 'allow') : null,
    rateLimit: readRateLimit(reader.object('rateLimit')),
    inboundAuth: reader.has('inboundAuth') ? readInboundAuth(reader.object('inboundAuth')) : null,
  };
  if (sip.registrar && !sip.username) reader.fail('username', 'is required with a registrar');
  reader.finish();
  return sip;
}

function addressList(reader: ConfigReader, key: string): string[] {
  const entries = reader.strings(key, /^[0-9A-Fa-f:./]+$/, 'an address or CIDR block such as "203.0.113.0/24"');
  entries.forEach((entry, index) => {
    const problem = addressEntryProblem(entry);
    if (problem) reader.fail(`${key}[${index}]`, `"${entry}" ${problem}`);
  });
  return entries;
}

function readRateLimit(reader: ConfigReader): SipLineConfig['rateLimit'] {
  const limit = {
    perSecond: reader.integer('perSecond', DEFAULT_SIP_RATE_LIMIT.perSecond, 1, 100_000),
    burst: reader.integer('burst', DEFAULT_SIP_RATE_LIMIT.burst, 1, 1_000_000),
  };
  reader.finish();
  return limit;
}

function readInboundAuth(reader: ConfigReader): NonNullable<SipLineConfig['inboundAuth']> {
  const auth = {
    username: reader.string('username', undefined),
    password: reader.string('password', undefined),
    realm: reader.string('realm', 'faxd'),
  };
  reader.finish();
  return auth;
}

function sipUri(reader: ConfigReader, key: string): string | null {
  const text = reader.optionalString(key);
  if (
    text !== null &&
    !/^sips?:(?:[^@\s]+@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?(?:;\S*)?$/.test(text)
  ) {
    reader.fail(key, `expected a SIP URI such as "sip:pbx.example:5060", got "${text}"`);
  }
  return text;
}

/** RFC 1123 §2.1 host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A host name or an IP literal (IPv6 without brackets) that peers can reach: never a wildcard. */
function advertisedHost(reader: ConfigReader, key: string): string | null {
  const text = reader.optionalString(key);
  if (text === null) return null;
  if (isIP(text) === 0 && !HOST_NAME.test(text)) {
    reader.fail(key, `expected a host name or IP address such as "fax.example.com" or "203.0.113.7", got "${text}"`);
  }
  if (isWildcardHost(text))
    reader.fail(key, `${text} is a wildcard address no peer can reach; give this host's address`);
  return text;
}
