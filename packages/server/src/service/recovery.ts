// What a start does with jobs the last run left unfinished (faxd stopped or was killed mid-call): an outbound job
// whose every page was confirmed is completed, never sent again; any other in-progress attempt counts as failed and
// is retried (or ends, if its retries are spent); a reception is routed from the pages it stored (a reception cut
// short with some, as a partial one) or, with none, failed; nothing stays in a non-final state. The same settling
// serves a job whose end the store refused to record (unrecorded-ends.ts).

import { readdir, readFile } from 'node:fs/promises';
import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  type JobEvent,
} from '@faxd/contract';
import { DecodeError, readTiff } from '@faxd/protocol';
import type { LineConfig } from '../config/faxd-config.js';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import { type DataFiles, faultCodeOf } from './data-files.js';
import {
  endRoutingFailed,
  type ReceivedFax,
  type RoutedPage,
  type RoutingContext,
  removeReceivedPages,
  routedQuality,
  routeReceivedFax,
} from './reception-routing.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;
const T = FAX_JOB_TYPE_ENUM;

export interface RecoveryContext extends RoutingContext {
  /** The line `deviceId` as configured now (its routing methods); undefined if it is configured no more. */
  readonly line: (deviceId: number) => LineConfig | undefined;
}

function recoveryEvent(row: JobRow): JobEvent | undefined {
  const base = baseJobStatus(row.status);
  if (row.direction === 'incoming') {
    if (base === S.fjsINPROGRESS && row.job_type === T.fjtRECEIVE)
      return { type: 'failed', reason: X.fjesCALL_ABORTED };
    if (base === S.fjsCANCELING) return { type: 'canceled' };
    return undefined;
  }
  if (base === S.fjsCANCELING) return { type: 'canceled' };
  if (base !== S.fjsINPROGRESS) return undefined;
  if (row.pages > 0 && row.confirmed_pages >= row.pages) return { type: 'completed' };
  const retry = row.retries < row.max_retries;
  return { type: retry ? 'retryScheduled' : 'retriesExceeded', reason: X.fjesCALL_ABORTED };
}

/**
 * Settles every unfinished job of node `nodeId` (its last run's) and any no node claimed; `now` (epoch ms) is when the
 * interrupted attempts count as having ended. Other nodes' jobs are theirs while their lease holds (cluster-node.ts).
 */
export async function recoverJobs(db: FaxdDb, context: RecoveryContext, now: number, nodeId: string): Promise<void> {
  const unfinished = await db
    .selectFrom('jobs')
    .selectAll()
    .where('status', 'in', [S.fjsINPROGRESS, S.fjsCANCELING, S.fjsROUTING])
    .where((where) => where.or([where('claim_node', '=', nodeId), where('claim_node', 'is', null)]))
    .execute();
  for (const row of unfinished) {
    await settleUnfinishedJob(context, row, now, 'interrupted: faxd stopped during the call');
  }
}

/** Settles one job whose call is over but whose end was not recorded, as if the call had ended at `now`. */
export async function settleUnfinishedJob(
  context: RecoveryContext,
  row: JobRow,
  now: number,
  lastError: string,
): Promise<void> {
  const { book, archive, files } = context;
  const base = baseJobStatus(row.status);
  const ended = { transmission_end: new Date(now).toISOString(), last_error: lastError };
  if (row.direction === 'incoming' && base !== S.fjsCANCELING) {
    if (row.job_type === T.fjtROUTING && (base === S.fjsROUTING || base === S.fjsINPROGRESS)) {
      await routeStoredPages(context, row, now);
      return;
    }
    // The sender was told the stored pages arrived (each was written before its MCF): they are a partial reception.
    const stored = base === S.fjsINPROGRESS ? await storedPageNumbers(files, row.id) : [];
    if (stored.length > 0) {
      // A page's file is written before the job's row hears of the page, whose update may not have run when the node
      // stopped: the row catches up with the pages stored first, or the machine refuses a reception of no page.
      const page = stored.length;
      if (row.current_page < page) await book.apply(row.id, { type: 'receiving', page }, { pages: page });
      await routeStoredPages(context, await book.apply(row.id, { type: 'received', partial: true }, ended), now);
      return;
    }
  }
  const event = recoveryEvent(row);
  if (!event) return;
  const retryAt = new Date(now + row.retry_delay_seconds * 1000).toISOString();
  const settled = await book.apply(row.id, event, {
    ...ended,
    // The retry waits its delay like any other, which also gives the far end time to notice the call is gone.
    ...(event.type === 'retryScheduled' ? { scheduled_time: retryAt } : {}),
  });
  if (row.direction === 'incoming') await removeReceivedPages(files, row.id);
  await archive.settle(settled);
}

/** A reception's pages could not be read back: there is no fax to route. */
class NoStoredPagesError extends Error {}

/** Routes the fax of a reception in fjsROUTING rebuilt from its page files, as the call's end would have. */
async function routeStoredPages(context: RecoveryContext, row: JobRow, now: number): Promise<void> {
  const line = row.device_id === null ? undefined : context.line(row.device_id);
  try {
    await routeReceivedFax(context, line, row, () => readStoredFax(context.files, row, now));
  } catch (error) {
    if (!(error instanceof NoStoredPagesError)) throw error;
    await endRoutingFailed(context, row, error.message);
  }
}

/** The received fax from its page files; a page that cannot be read is left out and makes the fax partial. */
async function readStoredFax(files: DataFiles, row: JobRow, now: number): Promise<ReceivedFax> {
  const pages: RoutedPage[] = [];
  let unreadable: string | undefined;
  for (const number of await storedPageNumbers(files, row.id)) {
    try {
      for (const { page, ...damage } of readTiff(await readFile(files.receivedPage(row.id, number)))) {
        pages.push({ page, quality: routedQuality(damage) });
      }
    } catch (error) {
      const why = error instanceof DecodeError ? 'not a fax TIFF' : faultCodeOf(error);
      unreadable ??= `page ${number} could not be read (${why})`;
    }
  }
  if (pages.length === 0) {
    throw new NoStoredPagesError(`routing the fax failed: ${unreadable ?? 'no received page was stored'}`);
  }
  const partial = unreadable !== undefined || row.extended_status === X.fjesPARTIALLY_RECEIVED;
  const badRows = pages.reduce((sum, { quality }) => sum + quality.badFaxLines, 0);
  return { pages, partial, badRows, now };
}

/** The numbers of the page files a reception stored, in order (a write cut short leaves only a temporary file). */
async function storedPageNumbers(files: DataFiles, jobId: string): Promise<number[]> {
  const names = await readdir(files.jobDirectory(jobId)).catch(() => [] as string[]);
  return names
    .map((name) => /^page-(\d+)\.tif$/.exec(name)?.[1])
    .filter((number): number is string => number !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
