// A user's operation on a job (IFaxOutgoingJob/IFaxIncomingJob Cancel, Pause, Resume, Restart): the step it asks of
// the job state machine, what a restart writes besides it, and the call or queued attempt a cancel ends; and the
// cancel of a whole broadcast, job by job.

import {
  FaxApiError,
  type FaxBroadcast,
  type FaxJob,
  hasLeftQueue,
  type JobEvent,
  type JobOperation,
} from '@faxd/contract';
import { type Caller, checkManages } from '../auth/caller.js';
import type { LineOwners } from '../auth/line-owners.js';
import { broadcastOf, faxJobOf, type JobRow } from '../store/job-rows.js';
import type { Archive } from './archive.js';
import type { Clock } from './clock.js';
import { type JobBook, JobStateError } from './job-book.js';
import type { JobViews } from './job-views.js';
import type { PortRuntime } from './port-runtime.js';

/** What an operation acts through: the job as the caller sees it, its state machine, and what carries jobs. */
export interface JobOperationContext {
  readonly views: JobViews;
  readonly lineOwners: LineOwners;
  readonly book: JobBook;
  readonly archive: Archive;
  readonly ports: readonly PortRuntime[];
  readonly clock: Clock;
  /** Hangs up the reception of job `jobId`; false when no reception carries it. */
  hangUp(jobId: string): boolean;
  /** Ends the outbound queue's attempt at job `jobId`; false when it has none. */
  cancelAttempt(jobId: string): boolean;
  /** Asks the outbound queue to look again. */
  kick(): void;
}

const OPERATION_EVENTS: Readonly<Record<JobOperation, JobEvent>> = {
  cancel: { type: 'cancelRequested' },
  pause: { type: 'paused' },
  resume: { type: 'resumed' },
  restart: { type: 'restarted' },
};

/**
 * What a restart writes besides the state machine's step (which resets Retries and the page): the job is due now, with
 * its age limit counted afresh from now, and nothing of the attempts before it stays on the pending job (their line,
 * the remote's CSI, their transmission times, their error), since none of that describes the job any more.
 */
function restartColumns(job: JobRow, nowMs: number) {
  const ageLimitMs = job.expires_at === null ? 0 : Date.parse(job.expires_at) - Date.parse(job.submission_time);
  return {
    scheduled_time: new Date(nowMs).toISOString(),
    expires_at: job.expires_at === null ? null : new Date(nowMs + ageLimitMs).toISOString(),
    device_id: null,
    csid: '',
    transmission_start: null,
    transmission_end: null,
    last_error: '',
    confirmed_pages: 0,
  };
}

export async function operateOnJob(
  context: JobOperationContext,
  jobId: string,
  operation: JobOperation,
  caller: Caller,
): Promise<FaxJob> {
  const job = await context.views.visibleJob(jobId, caller);
  checkManages(caller, (await context.lineOwners.snapshot())(job), `${operation} job ${jobId}`);
  const columns = operation === 'restart' ? restartColumns(job, context.clock.now()) : {};
  try {
    const row = await context.book.apply(jobId, OPERATION_EVENTS[operation], columns);
    if (operation !== 'cancel') {
      context.kick();
      return faxJobOf(row);
    }
    // The port carrying the job, if one does, shows the call being aborted until it has ended.
    for (const port of context.ports) port.ending(jobId, 'Aborting');
    // A job on a line leaves the queue when its call has hung up; a queued one has left it now.
    if (!context.hangUp(jobId) && !context.cancelAttempt(jobId)) await context.archive.settle(row);
    return faxJobOf(row);
  } catch (error) {
    if (!(error instanceof JobStateError)) throw error;
    throw FaxApiError.of('FAX_ERR_OPERATION_NOT_ALLOWED', { operation, jobId, reason: error.message });
  }
}

/**
 * Cancels every job of the broadcast that has not ended, each by the rules of a job's cancel (the one on the line
 * is canceling until its call has hung up); the broadcast as it stands afterwards.
 */
export async function cancelBroadcast(
  context: JobOperationContext,
  broadcastId: string,
  caller: Caller,
): Promise<FaxBroadcast> {
  const rows = await context.views.visibleBroadcast(broadcastId, caller);
  checkManages(caller, rows[0] as JobRow, `cancel broadcast ${broadcastId}`);
  const { recipients } = broadcastOf(rows);
  for (const { jobId, status } of recipients) {
    if (hasLeftQueue(status)) continue;
    await operateOnJob(context, jobId, 'cancel', caller).catch((error: unknown) => {
      // A job that ended (or began canceling) since the broadcast was read is past canceling: nothing to do.
      if (!(error instanceof FaxApiError && error.code === 'FAX_ERR_OPERATION_NOT_ALLOWED')) throw error;
    });
  }
  return context.views.broadcast(broadcastId, caller);
}
