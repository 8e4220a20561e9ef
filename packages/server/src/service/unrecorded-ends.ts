// Jobs whose end the store refused to record (a full disk, say): each is settled as the next start would settle it
// (recovery.ts), or archived if it ended but the outbox did not take it, and tried again every RETRY_MS until the
// store takes it, so that faxd recovers by itself once there is room again instead of leaving the job in progress
// until a restart.

import { isFinal } from '@faxd/contract';
import type { Clock } from './clock.js';
import { checkClaim, type JobClaim, JobFencedError, JobNotFoundError } from './job-book.js';
import { type RecoveryContext, settleUnfinishedJob } from './recovery.js';

const RETRY_MS = 10_000;

export interface UnrecordedEndsContext {
  /** What settling a job needs: the store, the archive, and for a reception its files and its line's routing. */
  readonly recovery: RecoveryContext;
  readonly clock: Clock;
  /** Called after jobs were settled: a retried job is back in the queue. */
  readonly onSettled: () => void;
}

export class UnrecordedEnds {
  readonly #context: UnrecordedEndsContext;
  /** Each job to settle, with the claim this node held on it when its call ended. */
  readonly #jobs = new Map<string, JobClaim | undefined>();
  #cancelWake: (() => void) | undefined;
  #closed = false;

  constructor(context: UnrecordedEndsContext) {
    this.#context = context;
  }

  /**
   * The call of `jobId`, held by `claim`, is over, but the store refused to record how it ended (the fault has been
   * reported).
   */
  add(jobId: string, claim: JobClaim | undefined): void {
    this.#jobs.set(jobId, claim);
    this.#schedule();
  }

  /** Stops trying: what is left is settled by the next start. */
  close(): void {
    this.#closed = true;
    this.#cancelWake?.();
  }

  #schedule(): void {
    if (this.#closed || this.#cancelWake) return;
    const { clock } = this.#context;
    this.#cancelWake = clock.wakeAt(clock.now() + RETRY_MS, () => {
      this.#cancelWake = undefined;
      void this.#settleAll();
    });
  }

  async #settleAll(): Promise<void> {
    const { recovery, clock } = this.#context;
    const { book, archive } = recovery;
    let settled = false;
    for (const [jobId, claim] of [...this.#jobs]) {
      try {
        const row = await book.get(jobId);
        // Another node may have taken the job over meanwhile (this node's lease lapsed while its store refused):
        // it is theirs to settle. The writes below are conditioned on the row as read here, epoch included.
        checkClaim(row, claim);
        // An ended job the archive did not take goes there now; any other is settled.
        if (row.direction === 'outgoing' && isFinal(row.status)) await archive.settle(row);
        else await settleUnfinishedJob(recovery, row, clock.now(), 'the end of the call could not be recorded');
        this.#jobs.delete(jobId);
        settled = true;
      } catch (error) {
        // A job never recorded at all, or taken over, has nothing to settle here; any other failure is the store still
        // refusing, which was reported when the job came here: try again later rather than say so every RETRY_MS.
        if (error instanceof JobNotFoundError || error instanceof JobFencedError) this.#jobs.delete(jobId);
      }
    }
    if (this.#jobs.size > 0) this.#schedule();
    if (settled) this.#context.onSettled();
  }
}
