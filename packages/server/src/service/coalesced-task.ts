// A write the service owes the store after something changed (events to log, ports' activity to post, the queue to
// count), run once for every change that comes within a short window of the first rather than once a change: at
// volume a cluster changes thousands of times a second, and a statement a change was most of what a job cost
// PostgreSQL. One run at a time; changes during a run make one more run after it, which gathers in turn.

import { type Clock, systemClock } from './clock.js';
import type { FaultReport } from './fault-report.js';

export class CoalescedTask {
  readonly #task: () => Promise<void>;
  readonly #windowMs: number;
  readonly #what: string;
  readonly #reportFault: FaultReport;
  readonly #clock: Clock;
  /** The run gathering or under way, if any. */
  #running: Promise<void> | undefined;
  /** Whether something changed after the run under way took what it writes. */
  #again = false;
  /** The run gathering has not started its task yet: a request joins it. */
  #gathering = false;
  /** Ends the gathering run's window now, when one is gathering. */
  #endWindow: (() => void) | undefined;
  /** flush() came while a run was under way: the run after it starts without a window. */
  #hurried = false;

  /**
   * `task` does the write (taking what changed when it starts); a failure it throws is reported as `what` (it should
   * report its own when it knows better). The window is real time whatever clock the service's calendar runs on: it is
   * how long a write waits for company, not a time the service schedules by.
   */
  constructor(
    task: () => Promise<void>,
    options: { windowMs: number; what: string; reportFault: FaultReport; clock?: Clock },
  ) {
    this.#task = task;
    this.#windowMs = options.windowMs;
    this.#what = options.what;
    this.#reportFault = options.reportFault;
    this.#clock = options.clock ?? systemClock;
  }

  /** Something changed: the task runs within the window (or after the run under way, and its window). */
  request(): void {
    if (this.#running) {
      if (!this.#gathering) this.#again = true;
      return;
    }
    this.#gathering = true;
    this.#running = this.#gather()
      .then(() => {
        this.#gathering = false;
        return this.#task();
      })
      .catch((error: unknown) => this.#reportFault(this.#what, error))
      .finally(() => {
        this.#running = undefined;
        if (!this.#again) {
          this.#hurried = false;
          return;
        }
        this.#again = false;
        this.request();
      });
  }

  /**
   * Runs the task without waiting for the rest of the window: a change that must be written at once takes those
   * gathered before it along. A run under way is not hurried, but the one after it does not wait.
   */
  flush(): void {
    if (this.#endWindow) this.#endWindow();
    else if (this.#running) this.#hurried = true;
  }

  /** Resolves once every change requested so far has been written (or its failure reported). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #gather(): Promise<void> {
    const hurried = this.#hurried;
    this.#hurried = false;
    if (this.#windowMs <= 0 || hurried) return Promise.resolve();
    return new Promise((resolve) => {
      const end = () => {
        this.#endWindow = undefined;
        resolve();
      };
      const cancel = this.#clock.wakeAt(this.#clock.now() + this.#windowMs, end);
      this.#endWindow = () => {
        cancel();
        end();
      };
    });
  }
}
