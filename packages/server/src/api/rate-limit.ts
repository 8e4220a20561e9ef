// A rate limit per API key (issue 13 item 5): a token bucket for each key, refilled at `limits.requestsPerSecond` up
// to `limits.requestBurst`; a request that finds its bucket empty is refused 429 FAX_ERR_RATE_LIMITED with Retry-After.
// The configuration's token is one key; a server without users or token (loopback only) has no keys and no limit.

import { FaxApiError } from '@faxd/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ADMINISTRATOR, type Caller } from '../auth/caller.js';
import type { HttpLimits } from '../config/faxd-config.js';

interface Bucket {
  tokens: number;
  /** When `tokens` was counted, in ms. */
  at: number;
}

/** Token buckets by key, on times the caller passes in (ms), so that a test can run them on any clock. */
export class TokenBuckets {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(perSecond: number, burst: number) {
    this.#rate = perSecond / 1000;
    this.#burst = burst;
  }

  /** Takes one token from `key`'s bucket: 0 when there was one, else the seconds until there will be one. */
  take(key: string, now: number): number {
    const bucket = this.#refilled(key, now);
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.#secondsUntilOne(bucket);
  }

  /** Puts back a token `take` took (0 answered), when what it paid for turned out not to count. */
  giveBack(key: string, now: number): void {
    const bucket = this.#refilled(key, now);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + 1);
    this.#buckets.set(key, bucket);
  }

  #refilled(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#rate);
    bucket.at = now;
    return bucket;
  }

  #secondsUntilOne(bucket: Bucket): number {
    return Math.ceil((1 - bucket.tokens) / this.#rate / 1000);
  }

  /** Forgets the buckets that are full again (a full bucket and none are the same). */
  sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#rate >= this.#burst) this.#buckets.delete(key);
    }
  }
}

/**
 * The key a caller's requests count against (a console session's, its user's); undefined for the anonymous caller of
 * a server without keys, and for signing in.
 */
function keyOf(caller: Caller | null): string | undefined {
  if (caller === ADMINISTRATOR) return 'token';
  if (caller?.keyId == null) return caller?.userId == null ? undefined : `user:${caller.userId}`;
  return caller.keyId;
}

/** Refuses a key's requests past the limits; register after authentication, which finds the caller. */
export function registerRateLimit(app: FastifyInstance, limits: HttpLimits): void {
  if (limits.requestsPerSecond === 0) return;
  const buckets = new TokenBuckets(limits.requestsPerSecond, limits.requestBurst);
  let swept = Date.now();
  app.addHook('onRequest', async (request, reply) => {
    const key = keyOf(request.caller);
    if (key === undefined) return;
    const now = Date.now();
    // Keys that stopped calling are dropped now and then, so the map holds only the recently busy ones.
    if (now - swept > 60_000) {
      buckets.sweep(now);
      swept = now;
    }
    const seconds = buckets.take(key, now);
    if (seconds !== 0) throw rateLimited(reply, seconds);
  });
}

/** The 429 for a caller to wait `seconds`: sets Retry-After on `reply`, and returns the error to throw. */
export function rateLimited(reply: FastifyReply, seconds: number, reason?: string): FaxApiError {
  void reply.header('retry-after', String(seconds));
  return FaxApiError.of('FAX_ERR_RATE_LIMITED', { seconds }, { retryAfterSeconds: seconds, ...(reason && { reason }) });
}
