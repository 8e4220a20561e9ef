// Every change to a job goes through here: the state machine of reference §4 (transitionJob) decides, the store
// records, and the hub announces outgoing/incomingJobAdded, …Changed with the new FaxJobStatus, and …Removed.

import { type JobEvent, transitionJob } from '@faxd/contract';
import type { Updateable } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { findJob, type JobRow, jobStateColumns, jobStateOf, jobStatusOf } from '../store/job-rows.js';
import type { JobTable } from '../store/schema.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';

/**
 * Rows per INSERT: a row binds some 35 values, and SQLite takes at most 32,766 in one statement (PostgreSQL 65,535).
 */
const INSERT_BATCH_ROWS = 200;

/** An operation the job's present state does not allow (FAX_ERR_OPERATION_NOT_ALLOWED at the API). */
export class JobStateError extends Error {
  override readonly name = 'JobStateError';
}

export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
  readonly jobId: string;

  constructor(jobId: string) {
    super(`no job with id ${jobId}`);
    this.jobId = jobId;
  }
}

/**
 * Runs `update` after `previous` (a call's job updates go in the order its events came); a step the machine refuses
 * (a cancel got in first) is skipped quietly, a store fault is logged, and neither stops the steps after it.
 */
export function afterUpdates(previous: Promise<void>, update: () => Promise<unknown>, jobId: string): Promise<void> {
  return previous.then(update).then(
    () => {},
    (error: unknown) => {
      if (!(error instanceof JobStateError)) reportFaultToStderr(`job ${jobId} was not updated`, error);
    },
  );
}

export class JobBook {
  readonly #db: FaxdDb;
  readonly #hub: EventHub;
  /** Job writes run one at a time, so a cancel and a page update never interleave their read and write. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The FaxJobStatus last announced for each job in the queue, as JSON: a write that changes none of it is quiet. */
  readonly #announced = new Map<string, string>();

  constructor(db: FaxdDb, hub: EventHub) {
    this.#db = db;
    this.#hub = hub;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    // The caller gets the failure through `next`; the chain only keeps the order, so it goes on past one.
    this.#queue = next.catch(() => {});
    return next;
  }

  async get(jobId: string): Promise<JobRow> {
    const row = await findJob(this.#db, jobId);
    if (!row) throw new JobNotFoundError(jobId);
    return row;
  }

  async create(row: JobRow): Promise<JobRow> {
    await this.createAll([row]);
    return row;
  }

  /**
   * Records `rows` in one transaction, all or none (a broadcast is never half submitted), then announces each job as
   * added, in order.
   */
  createAll(rows: readonly JobRow[]): Promise<void> {
    return this.#serial(async () => {
      await this.#db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += INSERT_BATCH_ROWS) {
          await trx
            .insertInto('jobs')
            .values(rows.slice(i, i + INSERT_BATCH_ROWS))
            .execute();
        }
      });
      for (const row of rows) {
        const added = row.direction === 'outgoing' ? 'outgoingJobAdded' : 'incomingJobAdded';
        this.#hub.publish({ event: added, jobId: row.id });
        this.#announce(row);
      }
    });
  }

  /** Moves the job by `event`, writing `columns` with it; throws JobStateError if the machine refuses. */
  apply(jobId: string, event: JobEvent, columns: Updateable<JobTable> = {}): Promise<JobRow> {
    return this.#serial(async () => {
      const row = await this.get(jobId);
      const next = transitionJob(jobStateOf(row), event);
      if (!next.ok) throw new JobStateError(next.error);
      return this.#write(row, { ...columns, ...jobStateColumns(next.state) });
    });
  }

  /** Writes columns that are not the job's state (identities, sizes, times) and announces the change. */
  update(jobId: string, columns: Updateable<JobTable>): Promise<JobRow> {
    return this.#serial(async () => this.#write(await this.get(jobId), columns));
  }

  /** Announces that the job has left the queue (it stays readable by id, and in the archive). */
  removed(row: JobRow): void {
    this.#announced.delete(row.id);
    this.#hub.publish({
      event: row.direction === 'outgoing' ? 'outgoingJobRemoved' : 'incomingJobRemoved',
      jobId: row.id,
    });
  }

  async #write(row: JobRow, columns: Updateable<JobTable>): Promise<JobRow> {
    await this.#db.updateTable('jobs').set(columns).where('id', '=', row.id).execute();
    const updated = { ...row, ...columns } as JobRow;
    this.#announce(updated);
    return updated;
  }

  /** Publishes the job's FaxJobStatus if it differs from the one announced last (a confirmed page alone does not). */
  #announce(row: JobRow): void {
    const status = jobStatusOf(row);
    const json = JSON.stringify(status);
    if (this.#announced.get(row.id) === json) return;
    this.#announced.set(row.id, json);
    if (row.direction === 'outgoing') this.#hub.publish({ event: 'outgoingJobChanged', jobId: row.id, status });
    else this.#hub.publish({ event: 'incomingJobChanged', jobId: row.id, status });
  }
}
