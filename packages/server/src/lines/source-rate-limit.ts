// A token bucket per source address: each source may send `burst` requests at once and `perSecond` after that; a
// request past its bucket is refused. Used for the INVITEs and REGISTERs a SIP line takes outside its calls, so one
// source's flood costs the line a few answers and no state.

export interface RateLimitConfig {
  /** Tokens a source earns per second (the sustained rate). */
  readonly perSecond: number;
  /** The bucket's size: requests a quiet source may send at once. */
  readonly burst: number;
}

/**
 * Sources remembered at most, so a flood from many addresses costs bounded memory. A full bucket is the same as no
 * bucket, so when the map is full the refilled ones go first, and if none has refilled, the oldest.
 */
const MAX_SOURCES = 4096;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

export class SourceRateLimit {
  readonly #config: RateLimitConfig;
  readonly #buckets = new Map<string, Bucket>();

  constructor(config: RateLimitConfig) {
    this.#config = config;
  }

  /** How many sources have a bucket. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token from `source`'s bucket at `now` (ms); false when it has none left. */
  take(source: string, now: number): boolean {
    const bucket = this.#buckets.get(source) ?? this.#add(source, now);
    bucket.tokens = Math.min(this.#config.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#config.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #add(source: string, now: number): Bucket {
    if (this.#buckets.size >= MAX_SOURCES) this.#evict(now);
    const bucket = { tokens: this.#config.burst, at: now };
    this.#buckets.set(source, bucket);
    return bucket;
  }

  /** Drops the buckets that have refilled; when none has, the oldest (Map order is insertion order). */
  #evict(now: number): void {
    const { burst, perSecond } = this.#config;
    for (const [source, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.#buckets.delete(source);
    }
    if (this.#buckets.size >= MAX_SOURCES) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }
}
