// HTTP Digest authentication as SIP uses it (RFC 3261 §22.4, RFC 2617, RFC 7616, RFC 8760): MD5 and SHA-256, qop=auth.

import { SipDecodeError } from '../message/sip-decode-error.js';
import { decodeAuthParams, encodeAuthParams } from './auth-params.js';
import { md5 } from './md5.js';
import { sha256 } from './sha256.js';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** A WWW-Authenticate or Proxy-Authenticate challenge (RFC 7616 §3.3). */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** As sent; MD5 when the challenge names none. `isSupportedDigestAlgorithm` tells whether this module can answer. */
  readonly algorithm: string;
  /** The qop options offered (`auth`, `auth-int`); empty for an RFC 2069 style challenge. */
  readonly qop: readonly string[];
  /** The nonce expired but the credentials were right: retry with the new nonce without asking the user. */
  readonly stale: boolean;
}

/** An Authorization or Proxy-Authorization value (RFC 7616 §3.4). */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm?: string;
  readonly opaque?: string;
  readonly qop?: string;
  readonly cnonce?: string;
  /** The nonce count as 8 hex digits, e.g. `00000001`. */
  readonly nc?: string;
}

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'];
const utf8 = new TextEncoder();

export function isSupportedDigestAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return (ALGORITHMS as readonly string[]).includes(algorithm);
}

function need(params: Map<string, string>, name: string, what: string): string {
  const value = params.get(name);
  if (value === undefined) throw new SipDecodeError(`Missing ${name} in ${what}`, 0);
  return value;
}

export function decodeDigestChallenge(value: string): DigestChallenge {
  const { scheme, params } = decodeAuthParams(value, 'challenge');
  if (scheme.toLowerCase() !== 'digest') throw new SipDecodeError('Not a Digest challenge', 0);
  const qop = params.get('qop');
  const opaque = params.get('opaque');
  return {
    realm: need(params, 'realm', 'challenge'),
    nonce: need(params, 'nonce', 'challenge'),
    ...(opaque !== undefined && { opaque }),
    // Algorithm tokens are case-insensitive; keep the canonical spelling for the ones this module implements.
    algorithm: canonicalAlgorithm(params.get('algorithm') ?? 'MD5'),
    qop: qop === undefined ? [] : qop.split(',').map((option) => option.trim().toLowerCase()),
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

function canonicalAlgorithm(name: string): string {
  return ALGORITHMS.find((algorithm) => algorithm.toLowerCase() === name.toLowerCase()) ?? name;
}

export function encodeDigestChallenge(challenge: DigestChallenge): string {
  const entries: [string, string][] = [
    ['realm', challenge.realm],
    ['nonce', challenge.nonce],
  ];
  if (challenge.opaque !== undefined) entries.push(['opaque', challenge.opaque]);
  entries.push(['algorithm', challenge.algorithm]);
  if (challenge.qop.length > 0) entries.push(['qop', challenge.qop.join(',')]);
  if (challenge.stale) entries.push(['stale', 'true']);
  return encodeAuthParams('Digest', entries, new Set(['realm', 'nonce', 'opaque', 'qop']));
}

/**
 * RFC 8760 §2.4: a server lists its challenges in order of preference (SHA-256 before MD5) and the UAC uses the
 * topmost one it supports.
 */
export function chooseDigestChallenge(challenges: readonly DigestChallenge[]): DigestChallenge | undefined {
  return challenges.find((challenge) => isSupportedDigestAlgorithm(challenge.algorithm));
}

export function decodeDigestCredentials(value: string): DigestCredentials {
  const { scheme, params } = decodeAuthParams(value, 'Authorization');
  if (scheme.toLowerCase() !== 'digest') throw new SipDecodeError('Not Digest credentials', 0);
  const optional = ['algorithm', 'opaque', 'qop', 'cnonce', 'nc'] as const;
  const credentials: Record<string, string> = {};
  for (const name of optional) {
    const item = params.get(name);
    if (item !== undefined) credentials[name] = item;
  }
  return {
    username: need(params, 'username', 'Authorization'),
    realm: need(params, 'realm', 'Authorization'),
    nonce: need(params, 'nonce', 'Authorization'),
    uri: need(params, 'uri', 'Authorization'),
    response: need(params, 'response', 'Authorization'),
    ...credentials,
  };
}

export function encodeDigestCredentials(credentials: DigestCredentials): string {
  const entries: [string, string][] = [];
  for (const name of ['username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'cnonce', 'opaque', 'qop', 'nc']) {
    const value = credentials[name as keyof DigestCredentials];
    if (value !== undefined) entries.push([name, value]);
  }
  // RFC 7616 §3.4: qop, nc and algorithm are sent as tokens, the rest quoted.
  return encodeAuthParams(
    'Digest',
    entries,
    new Set(['username', 'realm', 'nonce', 'uri', 'response', 'cnonce', 'opaque']),
  );
}

export interface DigestRequest {
  readonly method: string;
  /** The digest-uri: the Request-URI of the request being authorised (RFC 3261 §22.4). */
  readonly uri: string;
  /** Needed only for qop=auth-int. */
  readonly body?: Uint8Array;
}

export interface DigestAnswerOptions extends DigestRequest {
  readonly username: string;
  readonly password: string;
  /** A fresh unpredictable string from the caller's random source; required when the challenge offers qop. */
  readonly cnonce?: string;
  /** How many requests used this nonce so far, this one included (RFC 7616 §3.4 nc); 1 by default. */
  readonly nonceCount?: number;
}

/** The credentials answering `challenge`; throws RangeError for an algorithm `chooseDigestChallenge` would skip. */
export function createDigestCredentials(challenge: DigestChallenge, options: DigestAnswerOptions): DigestCredentials {
  const algorithm = challenge.algorithm;
  if (!isSupportedDigestAlgorithm(algorithm)) throw new RangeError(`unsupported digest algorithm ${algorithm}`);
  // Prefer auth: it protects what a fax endpoint needs without hashing bodies; fall back to auth-int when that is all.
  const qop = challenge.qop.includes('auth') ? 'auth' : challenge.qop.includes('auth-int') ? 'auth-int' : undefined;
  if (qop !== undefined && options.cnonce === undefined) throw new RangeError('a cnonce is needed when qop is offered');
  const nc = (options.nonceCount ?? 1).toString(16).padStart(8, '0');
  const base = { username: options.username, realm: challenge.realm, nonce: challenge.nonce, uri: options.uri };
  const fields = {
    ...base,
    algorithm,
    ...(challenge.opaque !== undefined && { opaque: challenge.opaque }),
    ...(qop !== undefined && { qop, cnonce: options.cnonce, nc }),
  } as Omit<DigestCredentials, 'response'>;
  return { ...fields, response: digestResponse(fields, options.password, options) };
}

/**
 * The request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2): KD(H(A1), nonce:nc:cnonce:qop:H(A2)), or without qop
 * the RFC 2069 form KD(H(A1), nonce:H(A2)). For `-sess` algorithms A1 also mixes in the nonce and cnonce (§3.4.2).
 */
export function digestResponse(
  fields: Omit<DigestCredentials, 'response'>,
  password: string,
  request: DigestRequest,
): string {
  const algorithm = canonicalAlgorithm(fields.algorithm ?? 'MD5');
  if (!isSupportedDigestAlgorithm(algorithm)) throw new RangeError(`unsupported digest algorithm ${algorithm}`);
  const digest = algorithm.startsWith('SHA-256') ? sha256 : md5;
  const hashBytes = (bytes: Uint8Array) => hex(digest(bytes));
  const hash = (text: string) => hashBytes(utf8.encode(text));
  let ha1 = hash(`${fields.username}:${fields.realm}:${password}`);
  if (algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${fields.nonce}:${fields.cnonce ?? ''}`);
  const a2 =
    fields.qop === 'auth-int'
      ? `${request.method}:${request.uri}:${hashBytes(request.body ?? new Uint8Array(0))}`
      : `${request.method}:${request.uri}`;
  const ha2 = hash(a2);
  if (fields.qop === undefined) return hash(`${ha1}:${fields.nonce}:${ha2}`);
  return hash(`${ha1}:${fields.nonce}:${fields.nc ?? ''}:${fields.cnonce ?? ''}:${fields.qop}:${ha2}`);
}

export interface DigestVerifyOptions extends DigestRequest {
  readonly password: string;
  /** When given, credentials for another realm or nonce fail (the caller tracks which nonces it issued). */
  readonly realm?: string;
  readonly nonce?: string;
}

/** Server side: whether `credentials` prove knowledge of `password` for this request (compared in constant time). */
export function verifyDigestCredentials(credentials: DigestCredentials, options: DigestVerifyOptions): boolean {
  if (options.realm !== undefined && credentials.realm !== options.realm) return false;
  if (options.nonce !== undefined && credentials.nonce !== options.nonce) return false;
  if (!isSupportedDigestAlgorithm(canonicalAlgorithm(credentials.algorithm ?? 'MD5'))) return false;
  if (credentials.qop !== undefined && credentials.qop !== 'auth' && credentials.qop !== 'auth-int') return false;
  const expected = digestResponse(credentials, options.password, options);
  return constantTimeEqual(expected, credentials.response.toLowerCase());
}

function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ (b.charCodeAt(i % Math.max(b.length, 1)) || 0);
  return difference === 0;
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}
