// Every change to a job goes through here: the state machine of reference §4 (transitionJob) decides, the store
// records, and the hub announces outgoing/incomingJobAdded, …Changed with the new FaxJobStatus, and …Removed.

import { type FaxServerEvent, isFinal, type JobEvent, transitionJob } from '@faxd/contract';
import type { Updateable } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { findJob, type JobRow, jobStateColumns, jobStateOf, jobStatusOf } from '../store/job-rows.js';
import type { JobTable } from '../store/schema.js';
import { BoundedMap } from './bounded-map.js';
import { chunksOf } from './chunks.js';
import type { EventHub, LoggedWith } from './event-hub.js';
import { type JobStep, stepsFrom } from './job-steps.js';

/**
 * Rows per INSERT: a row binds some 35 values, and SQLite takes at most 32,766 in one statement (PostgreSQL 65,535).
 */
const INSERT_BATCH_ROWS = 200;
/** Jobs whose last announced FaxJobStatus a book remembers: a node's queue for days, a few tens of megabytes at most. */
const ANNOUNCED_JOBS = 50_000;
/** Rows of jobs under way a book remembers to write without reading first (a forgotten one is read again). */
const KNOWN_JOBS = 10_000;

/** An operation the job's present state does not allow (FAX_ERR_OPERATION_NOT_ALLOWED at the API). */
export class JobStateError extends Error {
  override readonly name = 'JobStateError';
}

/**
 * The job was taken over by another node (its claim epoch moved on) while this node's call on it ran: the write is
 * refused, and the call's outcome is the other node's to record.
 */
export class JobFencedError extends Error {
  override readonly name = 'JobFencedError';
}

/** A node's claim on a job: the epoch every write of its call's outcome must still find (a fencing token). */
export interface JobClaim {
  readonly node: string;
  readonly epoch: number;
}

/** The columns of `row`'s state with their values: the conditions a write puts on the row it decided on. */
function stateAsRead(row: JobRow): [keyof JobRow, number][] {
  return Object.entries(jobStateColumns(jobStateOf(row))) as [keyof JobRow, number][];
}

/** Whether `claim` (when given) holds `row`. */
function holdsClaim(row: JobRow, claim: JobClaim | undefined): boolean {
  return !claim || (row.claim_node === claim.node && row.claim_epoch === claim.epoch);
}

/** Throws JobFencedError unless `claim` (when given) still holds `row`. */
export function checkClaim(row: JobRow, claim: JobClaim | undefined): void {
  if (!holdsClaim(row, claim)) {
    throw new JobFencedError(`job ${row.id} was taken over by node ${row.claim_node ?? '(none)'}`);
  }
}

export interface JobBookOptions {
  /** The node this book writes for: the claimant of its dispatches and the owner of the receptions it records. */
  readonly nodeId?: string;
  /** Whether claims lock the job's row (`FOR UPDATE SKIP LOCKED`, PostgreSQL); SQLite's one writer needs no lock. */
  readonly lockRows?: boolean;
}

/** What a subscriber to the hub reads of a job whose change it is hearing (JobBook.announcedRow). */
export type AnnouncedRow = (jobId: string) => JobRow | undefined;

export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
  readonly jobId: string;

  constructor(jobId: string) {
    super(`no job with id ${jobId}`);
    this.jobId = jobId;
  }
}

/** What moving a job by `event` writes over its row, with `columns`; throws JobStateError if the machine refuses. */
function movedBy(event: JobEvent, columns: Updateable<JobTable> = {}): (row: JobRow) => Updateable<JobTable> {
  return (row) => {
    const next = transitionJob(jobStateOf(row), event);
    if (!next.ok) throw new JobStateError(next.error);
    return { ...columns, ...jobStateColumns(next.state) };
  };
}

export class JobBook {
  readonly #db: FaxdDb;
  readonly #hub: EventHub;
  /** Job writes run one at a time, so a cancel and a page update never interleave their read and write. */
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * The FaxJobStatus last announced for each job in the queue, as JSON: a write that changes none of it is quiet. A job
   * forgotten here (past ANNOUNCED_JOBS newer ones) at worst announces an unchanged status once more.
   */
  readonly #announced = new BoundedMap<string, string>(ANNOUNCED_JOBS);
  /**
   * Jobs under way, as this book last claimed or wrote them: a write tries the row it knows before it reads the
   * store, as the write only lands if the job's state and claim are still those it decided on.
   */
  readonly #known = new BoundedMap<string, JobRow>(KNOWN_JOBS);

  /** The row #announce is publishing the change of, while the hub delivers it. */
  #announcing: JobRow | undefined;

  readonly #nodeId: string;
  readonly #lockRows: boolean;

  constructor(db: FaxdDb, hub: EventHub, options: JobBookOptions = {}) {
    this.#db = db;
    this.#hub = hub;
    this.#nodeId = options.nodeId ?? 'node-1';
    this.#lockRows = options.lockRows ?? false;
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
   * Records `rows` in one transaction, all or none (a broadcast is never half submitted), and announces each job as
   * added, in order: on PostgreSQL the announcements are stored with the rows, so no node claims a job before its
   * addition has its place in the event log.
   */
  createAll(rows: readonly JobRow[]): Promise<void> {
    return this.#serial(async () => {
      const owned = rows.map((row) => this.#owned(row));
      if (owned.length === 0) return;
      const events = owned.flatMap((row) => this.#creationEvents(row));
      const logged = await this.#insertAnnouncing(owned, events);
      for (const row of owned) {
        this.#announced.set(row.id, JSON.stringify(jobStatusOf(row)));
        // A reception is this node's to write from here on; a submission is whichever node's claims it.
        if (row.direction === 'incoming') this.#remember(row);
      }
      this.#hub.publishLogged(logged);
    });
  }

  /** Inserts `rows` all or none, storing `events` with them (EventHub.logWith), in as few statements as it can. */
  #insertAnnouncing(rows: readonly JobRow[], events: readonly FaxServerEvent[]): Promise<LoggedWith> {
    const insert = (db: FaxdDb, batch: readonly JobRow[]) => db.insertInto('jobs').values(batch);
    // One statement is all or none by itself: a transaction around it would only add two round trips a job.
    if (rows.length <= INSERT_BATCH_ROWS) return this.#hub.logWith(this.#db, insert(this.#db, rows), events);
    return this.#db.transaction().execute(async (trx) => {
      const batches = chunksOf(rows, INSERT_BATCH_ROWS);
      const last = batches.pop() ?? [];
      for (const batch of batches) await insert(trx, batch).execute();
      return this.#hub.logWith(trx, insert(trx, last), events);
    });
  }

  /** A new job's announcements: added, then its first FaxJobStatus. */
  #creationEvents(row: JobRow): FaxServerEvent[] {
    const status = jobStatusOf(row);
    if (row.direction === 'outgoing') {
      return [
        { event: 'outgoingJobAdded', jobId: row.id },
        { event: 'outgoingJobChanged', jobId: row.id, status },
      ];
    }
    return [
      { event: 'incomingJobAdded', jobId: row.id },
      { event: 'incomingJobChanged', jobId: row.id, status },
    ];
  }

  /** A reception is its answering node's: if that node stops, another settles it from the pages it stored. */
  #owned(row: JobRow): JobRow {
    return row.direction === 'incoming' && row.claim_node === null ? { ...row, claim_node: this.#nodeId } : row;
  }

  /** The claim this node holds on each reception it records: a reception is never claimed again, only taken over. */
  receptionClaim(): JobClaim {
    return { node: this.#nodeId, epoch: 0 };
  }

  /**
   * Claims the queued job `queued` (as the queue read it) for this node and moves it by `dispatched`, writing
   * `columns`: the claimed row and the claim its call's writes carry, or undefined when the job changed since it was
   * read (canceled, paused, claimed by another node) or another node holds its row locked now (skipped rather than
   * waited for). One statement, one round trip: the row is written only if its state and claim are still as read.
   */
  claim(queued: JobRow, columns: Updateable<JobTable>): Promise<{ row: JobRow; claim: JobClaim } | undefined> {
    return this.#serial(async () => {
      const next = transitionJob(jobStateOf(queued), { type: 'dispatched' });
      if (!next.ok) return undefined;
      const set = {
        ...columns,
        ...jobStateColumns(next.state),
        claim_node: this.#nodeId,
        claim_epoch: queued.claim_epoch + 1,
      };
      const claimed = await this.#db
        .updateTable('jobs')
        .set(set)
        .where('id', '=', (eb) => {
          let still = eb.selectFrom('jobs').select('id').where('id', '=', queued.id);
          still = still.where('claim_epoch', '=', queued.claim_epoch);
          for (const [column, value] of stateAsRead(queued)) still = still.where(column, '=', value);
          return this.#lockRows ? still.forUpdate().skipLocked() : still;
        })
        .returningAll()
        .executeTakeFirst();
      if (!claimed) return undefined;
      this.#remember(claimed);
      this.#announce(claimed);
      return { row: claimed, claim: { node: this.#nodeId, epoch: claimed.claim_epoch } };
    });
  }

  /**
   * Moves the job by `event`, writing `columns` with it; throws JobStateError if the machine refuses, and
   * JobFencedError if `claim` is given and the job is no longer held by it.
   */
  apply(jobId: string, event: JobEvent, columns: Updateable<JobTable> = {}, claim?: JobClaim): Promise<JobRow> {
    return this.#serial(() => this.#rewrite(jobId, claim, movedBy(event, columns)));
  }

  /**
   * As apply(), deciding first on `read` (the job as the caller has just read it, the queue's pass say) when this book
   * holds no newer row of it: the write reads the store only if the job has changed since.
   */
  applyAsRead(read: JobRow, event: JobEvent, columns: Updateable<JobTable> = {}): Promise<JobRow> {
    return this.#serial(() => this.#rewrite(read.id, undefined, movedBy(event, columns), undefined, read));
  }

  /**
   * Takes `steps` in order in one write (a call's updates that came while the one before was written), announcing the
   * status after each as if each were written alone; steps the machine refuses are skipped. Throws JobFencedError if
   * `claim` is given and the job is no longer held by it.
   */
  applySteps(jobId: string, steps: readonly JobStep[], claim?: JobClaim): Promise<JobRow> {
    return this.#serial(() => {
      let passed: JobRow[] = [];
      return this.#rewrite(
        jobId,
        claim,
        (row) => {
          const taken = stepsFrom(row, steps);
          passed = taken.passed;
          return passed.length === 0 ? undefined : taken.columns;
        },
        // The states before the last: the written row announces the last.
        () => passed.slice(0, -1),
      );
    });
  }

  /** Writes columns that are not the job's state (identities, sizes, times) and announces the change. */
  update(jobId: string, columns: Updateable<JobTable>, claim?: JobClaim): Promise<JobRow> {
    return this.#serial(() => this.#rewrite(jobId, claim, () => columns));
  }

  /**
   * Writes what `decide` makes of the job, provided nobody (another node, a restart) changed its state or claim since
   * it was read; if someone did, reads it again and decides on what they wrote. The row this book wrote last is tried
   * first, the store read only when that is out of date (about a dozen writes per call, each a read less). `decide`
   * answering undefined writes nothing and answers the store's row.
   */
  async #rewrite(
    jobId: string,
    claim: JobClaim | undefined,
    decide: (row: JobRow) => Updateable<JobTable> | undefined,
    passedThrough: () => readonly JobRow[] = () => [],
    read?: JobRow,
  ): Promise<JobRow> {
    const known = this.#known.get(jobId) ?? read;
    if (known && holdsClaim(known, claim)) {
      const written = await this.#tryDeciding(known, decide, passedThrough);
      if (written) return written;
    }
    for (;;) {
      const row = await this.get(jobId);
      checkClaim(row, claim);
      const columns = decide(row);
      if (columns === undefined) return row;
      const written = await this.#write(row, columns, passedThrough);
      if (written) return written;
    }
  }

  /**
   * `decide` on a row that may be out of date: a refusal, or nothing to write, is the store's to confirm, so it is
   * read again.
   */
  async #tryDeciding(
    row: JobRow,
    decide: (row: JobRow) => Updateable<JobTable> | undefined,
    passedThrough: () => readonly JobRow[],
  ): Promise<JobRow | undefined> {
    let columns: Updateable<JobTable> | undefined;
    try {
      columns = decide(row);
    } catch (error) {
      if (error instanceof JobStateError) return undefined;
      throw error;
    }
    return columns === undefined ? undefined : this.#write(row, columns, passedThrough);
  }

  /** Announces that the job has left the queue (it stays readable by id, and in the archive). */
  removed(row: JobRow): void {
    this.#announced.delete(row.id);
    this.#known.delete(row.id);
    this.#hub.publish({
      event: row.direction === 'outgoing' ? 'outgoingJobRemoved' : 'incomingJobRemoved',
      jobId: row.id,
    });
  }

  /**
   * Writes `columns` over `row` if its state and claim are still as read, announcing the states the write passed
   * through (`passedThrough`) before the one it wrote; undefined if they are not.
   */
  async #write(
    row: JobRow,
    columns: Updateable<JobTable>,
    passedThrough: () => readonly JobRow[] = () => [],
  ): Promise<JobRow | undefined> {
    let still = this.#db.updateTable('jobs').set(columns).where('id', '=', row.id);
    still = still.where('claim_epoch', '=', row.claim_epoch);
    for (const [column, value] of stateAsRead(row)) still = still.where(column, '=', value);
    const updated = await still.returningAll().executeTakeFirst();
    if (!updated) {
      this.#known.delete(row.id);
      return undefined;
    }
    this.#remember(updated);
    for (const passed of passedThrough()) this.#announce(passed);
    this.#announce(updated);
    return updated;
  }

  /** Keeps a job's row while it is under way; a job that has ended is read from the store when written again. */
  #remember(row: JobRow): void {
    if (isFinal(row.status)) this.#known.delete(row.id);
    else this.#known.set(row.id, row);
  }

  /**
   * The row whose change the hub is delivering to this node's subscribers now (it delivers them at once, as it is
   * published), if it is `jobId`'s: what a subscriber needs of the job beyond its FaxJobStatus, without reading the
   * store back.
   */
  announcedRow(jobId: string): JobRow | undefined {
    return this.#announcing?.id === jobId ? this.#announcing : undefined;
  }

  /** Publishes the job's FaxJobStatus if it differs from the one announced last (a confirmed page alone does not). */
  #announce(row: JobRow): void {
    const status = jobStatusOf(row);
    const json = JSON.stringify(status);
    if (this.#announced.get(row.id) === json) return;
    this.#announced.set(row.id, json);
    this.#announcing = row;
    try {
      if (row.direction === 'outgoing') this.#hub.publish({ event: 'outgoingJobChanged', jobId: row.id, status });
      else this.#hub.publish({ event: 'incomingJobChanged', jobId: row.id, status });
    } finally {
      this.#announcing = undefined;
    }
  }
}
