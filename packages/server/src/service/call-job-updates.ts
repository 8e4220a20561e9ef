// A call's updates of its job (the far end's name, each page begun, stored or confirmed), written in the order its
// events came. The steps of a short window go together in one write (JobBook.applySteps), each still announced as it
// would be alone, and the call's end takes the steps still waiting into its own write: a sandbox line's T.30 events
// come milliseconds apart, and a statement each was a third of the job writes a call cost. A page the far end
// confirmed is written at once, with whatever waits before it, and the call waits for that write: a takeover decides
// by it whether to send the job again.

import type { JobRow } from '../store/job-rows.js';
import type { Clock } from './clock.js';
import { CoalescedTask } from './coalesced-task.js';
import { reportFaultToStderr } from './fault-report.js';
import { type JobBook, type JobClaim, JobFencedError, JobStateError } from './job-book.js';
import type { JobStep } from './job-steps.js';

/**
 * How long a call's steps wait for the ones after them. Real lines' events come seconds apart and are written as
 * before, this much later; a sandbox call's name, page and size steps meet in one write.
 */
const GATHER_MS = 20;

export interface CallJobUpdatesOptions {
  /** The claim every write carries (an outbound call's), once there is one. */
  readonly claim?: () => JobClaim | undefined;
  /** Another node took the job over: the write was refused, and the steps after it are this node's no more either. */
  readonly onFenced?: (error: JobFencedError) => void;
  /** What times the window: real time, whatever clock the service's calendar runs on. */
  readonly clock?: Clock;
}

export class CallJobUpdates {
  readonly #book: JobBook;
  readonly #jobId: string;
  readonly #options: CallJobUpdatesOptions;
  /** Written before any step: the job's row is created, say. */
  readonly #after: Promise<void>;
  /** Steps not yet taken by a write. */
  #pending: JobStep[] = [];
  readonly #writes: CoalescedTask;

  /** Updates of job `jobId`, written once `after` has settled (the job's row is created, say). */
  constructor(
    book: JobBook,
    jobId: string,
    options: CallJobUpdatesOptions = {},
    after: Promise<void> = Promise.resolve(),
  ) {
    this.#book = book;
    this.#jobId = jobId;
    this.#options = options;
    this.#after = after;
    this.#writes = new CoalescedTask(() => this.#writePending(), {
      windowMs: GATHER_MS,
      what: `job ${jobId} was not updated`,
      reportFault: reportFaultToStderr,
      clock: options.clock,
    });
  }

  /** Writes `step` after those before it, within the window. */
  add(step: JobStep): void {
    this.#pending.push(step);
    this.#writes.request();
  }

  /** Writes `step` at once, with the steps waiting before it; settles once written (or its failure reported). */
  async write(step: JobStep): Promise<void> {
    this.add(step);
    this.#writes.flush();
    await this.#writes.idle();
  }

  /**
   * Ends the updates with `steps` (the call's end, decided on the job as the steps before leave it), written together
   * with the steps still waiting; answers the row written, throwing as JobBook.applySteps does.
   */
  async finish(steps: readonly JobStep[]): Promise<JobRow> {
    const taken = [...this.#pending, ...steps];
    this.#pending = [];
    // The write under way (its steps came before these) ends first; one still gathering finds nothing left to write.
    this.#writes.flush();
    await this.#writes.idle();
    await this.#after;
    return this.#book.applySteps(this.#jobId, taken, this.#options.claim?.());
  }

  async #writePending(): Promise<void> {
    await this.#after;
    const steps = this.#pending;
    this.#pending = [];
    if (steps.length === 0) return;
    try {
      await this.#book.applySteps(this.#jobId, steps, this.#options.claim?.());
    } catch (error) {
      if (error instanceof JobFencedError && this.#options.onFenced) this.#options.onFenced(error);
      // A step the machine refuses is skipped within the write; a store fault loses these steps, not the next ones.
      else if (!(error instanceof JobStateError)) reportFaultToStderr(`job ${this.#jobId} was not updated`, error);
    }
  }
}
