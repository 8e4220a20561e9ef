// Jobs and broadcasts as a caller may see them (reference §2.5–2.7, issue 13): one job, its fax, the list, a
// broadcast; a job or broadcast the caller may not see answers as a missing one does, so ids do not leak.

import {
  availableOperations,
  FAX_JOB_OPERATIONS_ENUM,
  FaxApiError,
  type FaxBroadcast,
  type FaxJob,
  type FaxJobTypeEnum,
  hasLeftQueue,
} from '@faxd/contract';
import { type Caller, seesJob } from '../auth/caller.js';
import type { LineOwners } from '../auth/line-owners.js';
import type { FaxdDb } from '../store/database.js';
import { broadcastOf, faxJobOf, findBroadcastJobs, type JobRow } from '../store/job-rows.js';
import { readJobFax } from './broadcast-documents.js';
import { type DataFiles, readFileIfThere } from './data-files.js';
import { type JobBook, JobNotFoundError } from './job-book.js';

export interface JobViewsContext {
  readonly db: FaxdDb;
  readonly book: JobBook;
  readonly files: DataFiles;
  readonly lineOwners: LineOwners;
}

export class JobViews {
  readonly #context: JobViewsContext;

  constructor(context: JobViewsContext) {
    this.#context = context;
  }

  async job(jobId: string, caller: Caller): Promise<FaxJob> {
    return faxJobOf(await this.visibleJob(jobId, caller));
  }

  /**
   * The job's fax as TIFF Class F, like IFaxOutgoingJob/IFaxIncomingJob.CopyTiff: an outbound job's document as
   * submitted (without the header lines each attempt stamps), a received fax once routing has stored it. Only while
   * the job offers fjoVIEW; undefined when its files are gone (purged with the archive).
   */
  async jobTiff(jobId: string, caller: Caller): Promise<Uint8Array | undefined> {
    const row = await this.visibleJob(jobId, caller);
    if ((availableOperations(row.status, row.job_type as FaxJobTypeEnum) & FAX_JOB_OPERATIONS_ENUM.fjoVIEW) === 0) {
      const reason = 'it has no stored pages to view (no fjoVIEW in its state)';
      throw FaxApiError.of('FAX_ERR_OPERATION_NOT_ALLOWED', { operation: 'view', jobId, reason });
    }
    const { files } = this.#context;
    return row.direction === 'outgoing' ? readJobFax(files, row) : readFileIfThere(files.inboxFax(jobId, 'tif'));
  }

  /** The jobs the caller may see (their own, or everyone's with the rights for it). */
  async jobs(
    options: { direction?: 'outgoing' | 'incoming'; all?: boolean; broadcast?: string },
    caller: Caller,
  ): Promise<FaxJob[]> {
    let query = this.#context.db
      .selectFrom('jobs')
      .selectAll()
      .orderBy('submission_time')
      .orderBy('broadcast_index', (order) => order.asc().nullsFirst());
    if (options.direction) query = query.where('direction', '=', options.direction);
    if (options.broadcast !== undefined) query = query.where('broadcast_id', '=', options.broadcast);
    const rows = await query.execute();
    const owned = await this.#context.lineOwners.snapshot();
    return rows
      .filter((row) => (options.all || !hasLeftQueue(row.status)) && seesJob(caller, owned(row)))
      .map(faxJobOf);
  }

  async broadcast(broadcastId: string, caller: Caller): Promise<FaxBroadcast> {
    return broadcastOf(await this.visibleBroadcast(broadcastId, caller));
  }

  /** The broadcast's jobs, if the caller may see them (its submitter, or the rights over everyone's jobs). */
  async visibleBroadcast(broadcastId: string, caller: Caller): Promise<JobRow[]> {
    const rows = await findBroadcastJobs(this.#context.db, broadcastId);
    const [first] = rows;
    if (!first || !seesJob(caller, first)) throw FaxApiError.of('FAX_ERR_BROADCAST_NOT_FOUND', { broadcastId });
    return rows;
  }

  /** The job, if the caller may see it. */
  async visibleJob(jobId: string, caller: Caller): Promise<JobRow> {
    const row = await this.#findJob(jobId);
    if (!seesJob(caller, (await this.#context.lineOwners.snapshot())(row))) {
      throw FaxApiError.of('FAX_ERR_JOB_NOT_FOUND', { jobId });
    }
    return row;
  }

  async #findJob(jobId: string): Promise<JobRow> {
    try {
      return await this.#context.book.get(jobId);
    } catch (error) {
      if (error instanceof JobNotFoundError) throw FaxApiError.of('FAX_ERR_JOB_NOT_FOUND', { jobId });
      throw error;
    }
  }
}
