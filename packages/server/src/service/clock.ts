// The time the service schedules by: when a job may be sent, when its retry falls due, when it is past its age limit,
// when the discount window opens, when the archive is purged. Calls on the line keep real time (T.30 timers); only
// the queue's calendar goes through here, so tests can run it on a manual clock.

import type { Clock } from '../lines/clock.js';

/** The shape a line's drivers run by too; the service's `now()` is epoch milliseconds. */
export type { Clock };

/** setTimeout's longest wait is 2^31 - 1 ms; a later wake is reached in steps no longer than this. */
const LONGEST_TIMER_MS = 60 * 60 * 1000;

/** The computer's clock, with timers that never fire before their time (a timer may fire a millisecond early). */
export const systemClock: Clock = {
  now: () => Date.now(),
  wakeAt(atMs, wake) {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(check, Math.min(Math.max(0, atMs - Date.now()), LONGEST_TIMER_MS));
    };
    const check = () => (Date.now() >= atMs ? wake() : arm());
    arm();
    return () => clearTimeout(timer);
  },
};
