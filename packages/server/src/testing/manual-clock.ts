// Test support: a Clock under the test's control (the service's calendar, a line's drivers). Time stands still until
// the test advances it; the wakes that fall due on the way run in time order, each seeing its own time as now.

import { ManualClock as ManualTime } from '@faxd/protocol/testing/manual-clock';
import type { Clock } from '../lines/clock.js';

export class ManualClock implements Clock {
  readonly #time = new ManualTime();
  #waiting = 0;

  /** Starts at `startMs` (epoch milliseconds): by default the real time now, so stored times look like today's. */
  constructor(startMs = Date.now()) {
    this.#time.setTime(startMs);
  }

  now(): number {
    return this.#time.now;
  }

  wakeAt(atMs: number, wake: () => void): () => void {
    let live = true;
    this.#waiting += 1;
    const end = () => {
      if (live) this.#waiting -= 1;
      live = false;
    };
    const run = () => {
      if (!live) return;
      end();
      wake();
    };
    // A wake already due runs soon, as a real timer would, rather than waiting for the next advance.
    if (atMs <= this.now()) queueMicrotask(run);
    else this.#time.schedule(atMs, run);
    return end;
  }

  /** Wakes set and neither run nor cancelled yet: what a stopped driver must not leave behind. */
  get waiting(): number {
    return this.#waiting;
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

/**
 * Advances `clock` `stepMs` at a time, letting I/O and promise callbacks run between steps, until `done` settles;
 * fails once `limitMs` of clock time has passed without it (a call that never ends).
 */
export async function advanceUntil(clock: ManualClock, done: Promise<unknown>, limitMs: number, stepMs = 100) {
  let settled = false;
  void done.then(() => {
    settled = true;
  });
  while (!settled && clock.now() < limitMs) {
    clock.advance(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!settled) throw new Error(`still running after ${limitMs} ms of clock time`);
}
