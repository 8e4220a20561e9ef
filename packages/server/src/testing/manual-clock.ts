// Test support: the service's clock under the test's control. Time stands still until the test advances it; the
// wakes that fall due on the way run in time order, each seeing its own time as now.

import { ManualClock as ManualTime } from '@faxd/protocol/testing/manual-clock';
import type { Clock } from '../service/clock.js';

export class ManualClock implements Clock {
  readonly #time = new ManualTime();

  /** Starts at `startMs` (epoch milliseconds): by default the real time now, so stored times look like today's. */
  constructor(startMs = Date.now()) {
    this.#time.setTime(startMs);
  }

  now(): number {
    return this.#time.now;
  }

  wakeAt(atMs: number, wake: () => void): () => void {
    let live = true;
    const run = () => {
      if (live) wake();
    };
    // A wake already due runs soon, as a real timer would, rather than waiting for the next advance.
    if (atMs <= this.now()) queueMicrotask(run);
    else this.#time.schedule(atMs, run);
    return () => {
      live = false;
    };
  }

  /** Moves time forward by `ms`, running every wake that falls due on the way. */
  advance(ms: number): void {
    const until = this.now() + ms;
    for (let next = this.#time.nextAt(); next !== undefined && next <= until; next = this.#time.nextAt()) {
      this.#time.setTime(next);
      this.#time.runDue();
    }
    this.#time.setTime(until);
  }

  /** Moves time forward to `atMs`. */
  advanceTo(atMs: number): void {
    this.advance(atMs - this.now());
  }
}
