// The clock a sandbox call runs by (issue 16 item 3): virtual milliseconds that jump straight to the next wake, so the
// T.30 engine's pacing and timers cost no waiting, only CPU. It yields to the event loop between bursts, so the API
// stays responsive while calls run, and stands still while a hold (a page being written) is pending, since the far
// end's timers must not run past work the real world would not have finished either.

import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/**
 * Wall-clock milliseconds of wakes every virtual clock together may run in one turn of the event loop before I/O gets
 * its turn: with dozens of calls in progress, each yielding on its own would still hold the API up for all of them.
 */
const TURN_MS = 5;

/** When the present turn's share ends; a new turn starts once the immediates queued in this one have run. */
let turnEndsAt = 0;
let turnOpen = false;

function turnEnd(): number {
  if (!turnOpen) {
    turnOpen = true;
    turnEndsAt = performance.now() + TURN_MS;
    setImmediate(() => {
      turnOpen = false;
    });
  }
  return turnEndsAt;
}

interface Wake {
  readonly at: number;
  readonly run: () => void;
  live: boolean;
}

export class VirtualClock implements Clock {
  #now = 0;
  /** Wakes in time order, those at one time in the order they were set. A call has a handful at once: a sorted insert. */
  readonly #queue: Wake[] = [];
  #holds = 0;
  #scheduled = false;

  now(): number {
    return this.#now;
  }

  wakeAt(atMs: number, wake: () => void): () => void {
    const entry: Wake = { at: Math.max(atMs, this.#now), run: wake, live: true };
    let i = this.#queue.length;
    while (i > 0 && (this.#queue[i - 1] as Wake).at > entry.at) i--;
    this.#queue.splice(i, 0, entry);
    this.#schedule();
    return () => {
      entry.live = false;
    };
  }

  /** Time stands still until `work` settles; its outcome is passed on unchanged. */
  hold<T>(work: Promise<T>): Promise<T> {
    this.#holds++;
    const release = () => {
      this.#holds--;
      this.#schedule();
    };
    return work.finally(release);
  }

  /** Wakes not yet run or cancelled (zero once a call has cleaned up after itself). */
  get pending(): number {
    return this.#queue.filter((wake) => wake.live).length;
  }

  #schedule(): void {
    if (this.#scheduled || this.#holds > 0 || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#burst());
  }

  /**
   * Runs wakes in time order until the queue is empty, a hold begins, or the turn's share of the CPU is used; at least
   * one, so every call moves on every turn.
   */
  #burst(): void {
    this.#scheduled = false;
    const until = turnEnd();
    while (this.#holds === 0) {
      const next = this.#queue.shift();
      if (!next) return;
      if (!next.live) continue;
      this.#now = next.at;
      next.run();
      if (performance.now() >= until) break;
    }
    this.#schedule();
  }
}
