// A call's updates of its job (the far end's name, each page begun, stored or confirmed), written in the order its
// events came. The steps that come while a write is under way go together in the next (JobBook.applySteps), each
// still announced as it would be alone: a sandbox line's T.30 events come milliseconds apart, and a statement each
// was a third of the job writes a call cost.

import { reportFaultToStderr } from './fault-report.js';
import { type JobBook, type JobClaim, JobFencedError, JobStateError, type JobStep } from './job-book.js';

export interface CallJobUpdatesOptions {
  /** The claim every write carries (an outbound call's), once there is one. */
  readonly claim?: () => JobClaim | undefined;
  /** Another node took the job over: the write was refused, and the steps after it are this node's no more either. */
  readonly onFenced?: (error: JobFencedError) => void;
}

export class CallJobUpdates {
  readonly #book: JobBook;
  readonly #jobId: string;
  readonly #options: CallJobUpdatesOptions;
  /** Steps not yet taken by a write. */
  #pending: JobStep[] = [];
  /** The writes in order; it never rejects. */
  #writes: Promise<void>;

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
    this.#writes = after;
  }

  /** Writes `step` after those before it: in the next write to start, with whatever else comes until it does. */
  add(step: JobStep): void {
    this.#pending.push(step);
    if (this.#pending.length > 1) return;
    this.#writes = this.#writes.then(() => this.#writePending());
  }

  /** Resolves once every step added so far is written (or its write failed, and was reported). */
  written(): Promise<void> {
    return this.#writes;
  }

  async #writePending(): Promise<void> {
    const steps = this.#pending;
    this.#pending = [];
    try {
      await this.#book.applySteps(this.#jobId, steps, this.#options.claim?.());
    } catch (error) {
      if (error instanceof JobFencedError && this.#options.onFenced) this.#options.onFenced(error);
      // A step the machine refuses is skipped within the write; a store fault loses these steps, not the next ones.
      else if (!(error instanceof JobStateError)) reportFaultToStderr(`job ${this.#jobId} was not updated`, error);
    }
  }
}
