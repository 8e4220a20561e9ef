// The time a driver runs by: milliseconds and one-shot wakes, so timers can run on a manual clock in tests (DESIGN.md
// §2: cores never read the wall clock; their drivers read it through here). A line's drivers use monotonic time; the
// service's calendar uses the same shape with epoch time (service/clock.ts).

import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds, on the scale the deadlines use (monotonic for a line's cores, epoch for the service). */
  now(): number;
  /** Calls `wake` once, when the time is `atMs` or later (never synchronously); the function returned cancels it. */
  wakeAt(atMs: number, wake: () => void): () => void;
}

/** Milliseconds since the clock was made, from performance.now (never stepped by NTP), with Node's timers. */
export function realClock(): Clock {
  const origin = performance.now();
  const now = () => performance.now() - origin;
  return {
    now,
    wakeAt: (atMs, wake) => {
      const timer = setTimeout(wake, Math.max(0, atMs - now()));
      return () => clearTimeout(timer);
    },
  };
}

/**
 * `clock` whose wakes run only after the datagrams already waiting on the process's sockets have been taken: a timer
 * that fires late (the event loop was busy) defers its wake with setImmediate, which Node runs after the poll phase
 * that delivers them. A G.711 receiver plays 20 ms out of its jitter buffer at each wake, so without this a stall of
 * more than the buffer's depth plays the packets that arrived during it as missing, then drops them as late.
 */
export function wakeAfterPendingInput(clock: Clock): Clock {
  return {
    now: () => clock.now(),
    wakeAt: (atMs, wake) => {
      let immediate: ReturnType<typeof setImmediate> | undefined;
      const cancel = clock.wakeAt(atMs, () => {
        immediate = setImmediate(wake);
      });
      return () => {
        cancel();
        if (immediate) clearImmediate(immediate);
      };
    },
  };
}
