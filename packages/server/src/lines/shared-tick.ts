// One timer for every audio call of the process (issue 12 item 7b: 200 G.711 sessions in real time): the drivers' wakes
// wait in one queue ordered by deadline, a single timer of the underlying clock runs at the earliest, and each tick
// serves every wake then due, earliest deadline first. Stations whose 20 ms packet schedules start on the tick grid
// (`gridFloor`) share their deadlines, so a tick sends a batch of packets where each station used to need a timer of
// its own per packet (and a re-armed one per packet received).

import { type Clock, realClock, wakeAfterPendingInput } from './clock.js';

/** One wake waiting; `wake` is cleared when it is cancelled, and the entry dropped once it reaches the front. */
interface Waiting {
  readonly atMs: number;
  /** Order of `wakeAt` calls, so wakes due at the same time run in the order they were set. */
  readonly order: number;
  wake: (() => void) | undefined;
}

/**
 * Phases of the 20 ms packet clock that stations may start on: 8 (every 2.5 ms) spreads the packets of many calls
 * over the period in batches small enough that the last of a batch still leaves on time.
 */
export const AUDIO_TICK_GRID_MS = 20 / 8;

export class SharedTick implements Clock {
  readonly gridMs: number;
  readonly #base: Clock;
  /** Binary min-heap on (atMs, order); its front is always a live wake (cancelled ones are dropped on reaching it). */
  readonly #heap: Waiting[] = [];
  #order = 0;
  /** The underlying clock's one pending wake, and the time it was set for. */
  #cancelBase: (() => void) | undefined;
  #baseAt = Number.POSITIVE_INFINITY;

  constructor(base: Clock, gridMs: number) {
    if (!(gridMs > 0)) throw new RangeError(`tick grid of ${gridMs} ms`);
    this.#base = base;
    this.gridMs = gridMs;
  }

  now(): number {
    return this.#base.now();
  }

  /** Wakes waiting (set, and neither run nor cancelled), for tests and diagnostics. */
  get waiting(): number {
    return this.#heap.filter((entry) => entry.wake !== undefined).length;
  }

  wakeAt(atMs: number, wake: () => void): () => void {
    const entry: Waiting = { atMs, order: this.#order++, wake };
    this.#push(entry);
    this.#arm();
    return () => {
      if (entry.wake === undefined) return;
      entry.wake = undefined;
      // A cancelled wake at the front would hold a timer (and keep the process alive) for nothing.
      if (this.#heap[0] === entry) {
        this.#dropCancelled();
        this.#arm();
      }
    };
  }

  /** The last grid instant at or before `ms`: a schedule of whole multiples of the grid begun there falls on ticks. */
  gridFloor(ms: number): number {
    return Math.floor(ms / this.gridMs) * this.gridMs;
  }

  /** Sets the underlying clock's wake for the front of the queue, unless it is already set for that time. */
  #arm(): void {
    const front = this.#heap[0];
    const at = front ? front.atMs : Number.POSITIVE_INFINITY;
    if (at === this.#baseAt) return;
    this.#cancelBase?.();
    this.#cancelBase = undefined;
    this.#baseAt = at;
    if (front) this.#cancelBase = this.#base.wakeAt(at, () => this.#tick());
  }

  /** Runs every wake due now, earliest first; wakes they set that are due already run in this tick too. */
  #tick(): void {
    this.#cancelBase = undefined;
    this.#baseAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    try {
      for (let front = this.#heap[0]; front !== undefined && front.atMs <= now; front = this.#heap[0]) {
        this.#pop();
        const wake = front.wake;
        front.wake = undefined;
        this.#dropCancelled();
        wake?.();
      }
    } finally {
      // A wake that throws still fails as its own timer would have, but the tick goes on for every other call.
      this.#arm();
    }
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0]?.wake === undefined) this.#pop();
  }

  #push(entry: Waiting): void {
    const heap = this.#heap;
    let at = heap.length;
    heap.push(entry);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(entry, heap[parent] as Waiting)) break;
      heap[at] = heap[parent] as Waiting;
      at = parent;
    }
    heap[at] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Waiting, heap[left] as Waiting) ? right : left;
      if (!before(heap[child] as Waiting, last)) break;
      heap[at] = heap[child] as Waiting;
      at = child;
    }
    heap[at] = last;
  }
}

function before(a: Waiting, b: Waiting): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
}

let audioTick: SharedTick | undefined;

/**
 * The process's tick for audio calls, on the real clock, made on first use. Its wakes run after the datagrams already
 * waiting on the sockets have been taken (wakeAfterPendingInput): each station plays what arrived before its packet.
 */
export function audioTickClock(): SharedTick {
  audioTick ??= new SharedTick(wakeAfterPendingInput(realClock()), AUDIO_TICK_GRID_MS);
  return audioTick;
}
