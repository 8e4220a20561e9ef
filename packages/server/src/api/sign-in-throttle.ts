// Failed sign-ins, to the console (POST /v1/session, issue 13) and by SMTP AUTH at the mail gateway, are limited per
// user name and per source address, so a password is not guessed by trying many: each key has a bucket of failures
// (rate-limit.ts's token buckets) that a wrong password empties and time refills. While either bucket of a sign-in is
// empty, it is refused (429 with Retry-After, SMTP 454) before the password is looked at, right or wrong, so the
// answer tells a guesser nothing. Each attempt takes its failure up front and a successful one gives it back:
// attempts sent all at once, each waiting for its password check, cannot all pass the limit before any has failed.

import { TokenBuckets } from './rate-limit.js';

/** Failures one user name may have at once, and how fast it gets another: a person mistyping is not held up. */
const NAME_FAILURES = { burst: 5, perSecond: 1 / 60 };
/**
 * Failures one address may have at once, over every name (one office behind one NAT address is many people), and how
 * fast it gets another: a guesser trying a common password against many names is held up too.
 */
const ADDRESS_FAILURES = { burst: 20, perSecond: 1 / 15 };
/** How often buckets full again are forgotten, so the maps hold only recent failures. */
const SWEEP_MS = 60_000;

export class SignInThrottle {
  readonly #byName = new TokenBuckets(NAME_FAILURES.perSecond, NAME_FAILURES.burst);
  readonly #byAddress = new TokenBuckets(ADDRESS_FAILURES.perSecond, ADDRESS_FAILURES.burst);
  #swept = 0;

  /**
   * Counts an attempt of `name` from `address` as a failure until it succeeds: 0 when it may go on, else the seconds
   * until it may try again (and nothing is counted). `now` in ms.
   */
  attempt(name: string, address: string, now: number): number {
    if (now - this.#swept > SWEEP_MS) {
      this.#byName.sweep(now);
      this.#byAddress.sweep(now);
      this.#swept = now;
    }
    const byName = this.#byName.take(name, now);
    const byAddress = this.#byAddress.take(address, now);
    if (byName === 0 && byAddress !== 0) this.#byName.giveBack(name, now);
    if (byAddress === 0 && byName !== 0) this.#byAddress.giveBack(address, now);
    return Math.max(byName, byAddress);
  }

  /** The attempt signed in: it was no failure. */
  succeeded(name: string, address: string, now: number): void {
    this.#byName.giveBack(name, now);
    this.#byAddress.giveBack(address, now);
  }
}
