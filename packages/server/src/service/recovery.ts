// What a start does with jobs the last run left unfinished (faxd stopped or was killed mid-call): an outbound job
// whose every page was confirmed is completed, never sent again; any other in-progress attempt counts as failed and
// is retried (or ends, if its retries are spent); a reception cut short is failed; nothing stays in a non-final state.

import { baseJobStatus, FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, type JobEvent } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import type { Archive } from './archive.js';
import type { JobBook } from './job-book.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

function recoveryEvent(row: JobRow): JobEvent | undefined {
  const base = baseJobStatus(row.status);
  if (row.direction === 'incoming') {
    if (base === S.fjsINPROGRESS && row.job_type === 1) return { type: 'failed', reason: X.fjesCALL_ABORTED };
    if (base === S.fjsCANCELING) return { type: 'canceled' };
    if (base === S.fjsROUTING || base === S.fjsINPROGRESS) return { type: 'routed' };
    return undefined;
  }
  if (base === S.fjsCANCELING) return { type: 'canceled' };
  if (base !== S.fjsINPROGRESS) return undefined;
  if (row.pages > 0 && row.confirmed_pages >= row.pages) return { type: 'completed' };
  const retry = row.retries < row.max_retries;
  return { type: retry ? 'retryScheduled' : 'retriesExceeded', reason: X.fjesCALL_ABORTED };
}

/** Settles every unfinished job; `now` (epoch ms) is when the interrupted attempts count as having ended. */
export async function recoverJobs(db: FaxdDb, book: JobBook, archive: Archive, now: number): Promise<void> {
  const unfinished = await db
    .selectFrom('jobs')
    .selectAll()
    .where('status', 'in', [S.fjsINPROGRESS, S.fjsCANCELING, S.fjsROUTING])
    .execute();
  for (const row of unfinished) {
    await settleUnfinishedJob(book, archive, row, now, 'interrupted: faxd stopped during the call');
  }
}

/** Settles one job whose call is over but whose end was not recorded, as if the call had ended at `now`. */
export async function settleUnfinishedJob(
  book: JobBook,
  archive: Archive,
  row: JobRow,
  now: number,
  lastError: string,
): Promise<void> {
  const event = recoveryEvent(row);
  if (!event) return;
  const retryAt = new Date(now + row.retry_delay_seconds * 1000).toISOString();
  const ended = await book.apply(row.id, event, {
    transmission_end: new Date(now).toISOString(),
    last_error: lastError,
    // The retry waits its delay like any other, which also gives the far end time to notice the call is gone.
    ...(event.type === 'retryScheduled' ? { scheduled_time: retryAt } : {}),
  });
  await archive.settle(ended);
}
