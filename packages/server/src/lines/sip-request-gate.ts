// What a SIP line lets in (issue: SIP exposure): requests only from `sip.allow`'s addresses, INVITEs and REGISTERs
// outside calls within a per-source rate, and INVITEs only with the digest credentials `sip.inboundAuth` asks for.
// Everything refused here is dropped without an answer, except the 401 that asks for credentials.

import { randomInt } from 'node:crypto';
import type { SipRequest, SipResponse } from '@faxd/protocol';
import { AddressList, canonicalAddress } from './address-list.js';
import { type InboundAuthConfig, SipInboundAuth } from './sip-inbound-auth.js';
import { type RateLimitConfig, SourceRateLimit } from './source-rate-limit.js';

export interface SipGateOptions {
  /** Addresses and CIDR blocks whose requests the line takes; others are dropped unanswered. Unset: any. */
  readonly allow?: readonly string[];
  /** The per-source limit on INVITEs and REGISTERs outside calls (DEFAULT_SIP_RATE_LIMIT unless given). */
  readonly rateLimit?: RateLimitConfig;
  /** Credentials an INVITE must carry (digest, challenged with 401). Unset: INVITEs are not challenged. */
  readonly inboundAuth?: InboundAuthConfig;
}

/**
 * Per source address: 20 INVITEs or REGISTERs at once, then 5 a second. A line takes one call at a time, so even a
 * trunk's proxy (every call from one address) stays far below it; a flood past it is dropped unanswered, as a
 * response would cost as much as the request and could be aimed at a forged source.
 */
export const DEFAULT_SIP_RATE_LIMIT: RateLimitConfig = { perSecond: 5, burst: 20 };

export class SipRequestGate {
  readonly #allow: AddressList | undefined;
  readonly #rateLimit: SourceRateLimit;
  readonly #inboundAuth: SipInboundAuth | undefined;

  constructor(options: SipGateOptions) {
    this.#allow = options.allow && new AddressList(options.allow);
    this.#rateLimit = new SourceRateLimit(options.rateLimit ?? DEFAULT_SIP_RATE_LIMIT);
    this.#inboundAuth = options.inboundAuth && new SipInboundAuth(options.inboundAuth);
  }

  /** Whether requests (and connections) from `host` are taken at all. */
  admitsSource(host: string): boolean {
    return this.#allow?.includes(host) ?? true;
  }

  /**
   * For a request outside any call from `host` at `now`: `drop` (past the source's rate), the 401 to answer an INVITE
   * without valid credentials, or undefined to go on.
   */
  screen(request: SipRequest, host: string, now: number): 'drop' | SipResponse | undefined {
    if (request.method !== 'INVITE' && request.method !== 'REGISTER') return undefined;
    if (!this.#rateLimit.take(canonicalAddress(host) ?? host, now)) return 'drop';
    if (request.method !== 'INVITE') return undefined;
    return this.#inboundAuth?.check(request, now, `${randomInt(1e9)}`);
  }
}
