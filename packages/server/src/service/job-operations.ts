// What a user's operation on a job (IFaxOutgoingJob/IFaxIncomingJob Cancel, Pause, Resume, Restart) asks of the job
// state machine, and what a restart writes besides it.

import type { JobEvent, JobOperation } from '@faxd/contract';
import type { JobRow } from '../store/job-rows.js';

export const OPERATION_EVENTS: Readonly<Record<JobOperation, JobEvent>> = {
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
export function restartColumns(job: JobRow, nowMs: number) {
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
