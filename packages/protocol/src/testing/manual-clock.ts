// Test support: virtual time for sans-I/O cores, with callbacks scheduled at given milliseconds.

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

export class ManualClock {
  #now = 0;
  #order = 0;
  #queue: Scheduled[] = [];

  get now(): number {
    return this.#now;
  }

  /** Runs `run` at `at` (never earlier than now); callbacks at the same time run in the order scheduled. */
  schedule(at: number, run: () => void): void {
    const item = { at: Math.max(at, this.#now), order: this.#order++, run };
    let i = this.#queue.length;
    while (
      i > 0 &&
      (this.#queue[i - 1].at > item.at || (this.#queue[i - 1].at === item.at && this.#queue[i - 1].order > item.order))
    )
      i--;
    this.#queue.splice(i, 0, item);
  }

  /** When the next callback is due, if any. */
  nextAt(): number | undefined {
    return this.#queue[0]?.at;
  }

  /** Moves time forward (never back). */
  setTime(ms: number): void {
    if (ms < this.#now) throw new Error(`manual clock cannot go back from ${this.#now} to ${ms}`);
    this.#now = ms;
  }

  /** Runs the next callback if it is due now; returns whether one ran. */
  runDue(): boolean {
    const next = this.#queue[0];
    if (!next || next.at > this.#now) return false;
    this.#queue.shift();
    next.run();
    return true;
  }
}
