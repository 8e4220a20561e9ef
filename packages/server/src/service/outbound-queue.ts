// The outbound queue's dispatcher: picks the next due job by priority then schedule, finds it a free port that may
// send, and runs the attempt. Two jobs to the same number never run at once (HylaFAX's rule); a paused queue starts
// nothing; a job past its age limit ends in fjsRETRIES_EXCEEDED.

import { dialedNumber, FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, type FaxQueueState } from '@faxd/contract';
import { type ExpressionBuilder, sql } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import type { FaxdDatabase } from '../store/schema.js';
import type { Archive } from './archive.js';
import { reportFaultToStderr } from './fault-report.js';
import { type JobClaim, JobFencedError, JobStateError } from './job-book.js';
import { type AttemptContext, OutboundAttempt } from './outbound-attempt.js';
import type { PortRuntime } from './port-runtime.js';

const S = FAX_JOB_STATUS_ENUM;
/** After a pass the store refused, the queue looks again this much later (a due job is not left for the next kick). */
const FAILED_PASS_RETRY_MS = 10_000;
/**
 * Queued jobs a pass reads at a time: a few for each free line (some are for a number already being called, some
 * taken by another node first), the next window only while lines stay free. Reading 256 rows to fill the one line a
 * call just freed was most of what a pass cost the store and this node, several times a job.
 */
const WINDOW_PER_FREE_LINE = 4;
const MIN_PASS_WINDOW = 16;
const MAX_PASS_WINDOW = 256;
/**
 * How often a busy queue reads its calendar (the next scheduled job's time, whether any is past its age limit): each
 * read goes through every queued job, 6 ms at 10,000 of them, and a cluster's nodes make a pass after every call and
 * submission. Between reads a pass wakes the queue for the next one, so a job scheduled or expiring meanwhile is seen
 * at most this much later.
 */
const CALENDAR_EVERY_MS = 1000;
/**
 * A queued outbound job: pending or retrying, paused or not. The constants are in the text, as the index of queued
 * jobs states them (store/migrations.ts, 0008), for PostgreSQL's planner to see the query falls within that index:
 * the statement is prepared once, and a plan made for any direction could not use it (every outgoing job read, 1 ms a
 * pass at 4,000 jobs).
 */
const QUEUED = sql<boolean>`direction = 'outgoing' and (status & ${sql.lit(S.fjsPENDING | S.fjsRETRYING)}) != 0`;

/** The condition a queued job is past its age limit on at `now`: due, not paused, and expired. */
function pastAgeLimit(now: string) {
  return (where: ExpressionBuilder<FaxdDatabase, 'jobs'>) =>
    where.and([
      sql<boolean>`(status & ${S.fjsPAUSED}) = 0`,
      where('expires_at', '<=', now),
      where.or([where('scheduled_time', 'is', null), where('scheduled_time', '<=', now)]),
    ]);
}

export interface QueueContext extends AttemptContext {
  readonly db: FaxdDb;
  readonly ports: readonly PortRuntime[];
  readonly archive: Archive;
  readonly queueState: () => FaxQueueState;
  /** Called when the number of active or queued jobs may have changed. */
  readonly onActivity: () => void;
  /** An attempt ended but the store refused to record it: the job is to be settled once it can be, if still `claim`'s. */
  readonly endNotRecorded: (jobId: string, claim: JobClaim | undefined) => void;
}

export class OutboundQueue {
  readonly #context: QueueContext;
  /** Running attempts by job id, with the number each dials (as dialed) and the promise that settles when it has ended. */
  readonly #active = new Map<
    string,
    { attempt: OutboundAttempt; number: string; calling: boolean; ended: Promise<void> }
  >();
  /** The passes running now; a kick during one asks for another (`#again`) rather than running beside it. */
  #passes: Promise<void> | undefined;
  #again = false;
  #cancelWake: (() => void) | undefined;
  #closed = false;
  /** When the calendar was last read, and when the next scheduled job it found falls due (undefined if none). */
  #calendarReadAtMs = Number.NEGATIVE_INFINITY;
  #nextScheduled: string | undefined;

  constructor(context: QueueContext) {
    this.#context = context;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  /** Looks for work now (after a submission, a finished call, a resume…). */
  kick(): void {
    if (this.#closed) return;
    this.#again = true;
    this.#passes ??= this.#runPasses();
  }

  /** Resolves once the queue has acted on every kick so far (the calls it started may still be on the line). */
  async settled(): Promise<void> {
    while (this.#passes) await this.#passes;
  }

  /** Cancels the attempt running for `jobId`; false if none is. */
  cancelAttempt(jobId: string): boolean {
    const active = this.#active.get(jobId);
    active?.attempt.cancel();
    return active !== undefined;
  }

  /**
   * Hangs up the calls whose jobs are being canceled in the store: a user's cancel on another node sharing it, which
   * moved the job to fjsCANCELING but cannot reach this node's line.
   */
  async followCancels(): Promise<void> {
    const running = [...this.#active.keys()];
    if (running.length === 0) return;
    const canceling = await this.#context.db
      .selectFrom('jobs')
      .select('id')
      .where('id', 'in', running)
      .where(sql<boolean>`(status & ${S.fjsCANCELING}) != 0`)
      .execute();
    for (const { id } of canceling) this.cancelAttempt(id);
  }

  /**
   * Hangs up every call under way and carries on: this node's lease is no longer surely its own, so each job may be
   * taken over (its writes are then refused) or, if not, is retried like any cut attempt.
   */
  abandonCalls(): void {
    for (const { attempt } of this.#active.values()) attempt.abandon();
  }

  /** Stops dispatching and aborts every call (their jobs are retried later); resolves when they have ended. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelWake?.();
    // A pass under way starts nothing more once closed; the attempts it did start are in #active when it ends.
    await this.settled();
    const running = [...this.#active.values()];
    for (const { attempt } of running) attempt.abort();
    await Promise.all(running.map((active) => active.ended));
  }

  async #runPasses(): Promise<void> {
    try {
      while (this.#again && !this.#closed) {
        this.#again = false;
        await this.#pass().catch((error: unknown) => {
          reportFaultToStderr('the outbound queue could not dispatch', error);
          this.#wakeAt(this.#context.clock.now() + FAILED_PASS_RETRY_MS);
        });
      }
    } finally {
      this.#passes = undefined;
    }
  }

  async #pass(): Promise<void> {
    // Without a lease surely its own, this node starts nothing: the renewal that gives it back kicks the queue.
    if (!this.#context.leaseHeld()) return;
    const now = new Date(this.#context.clock.now()).toISOString();
    const busyNumbers = new Set([...this.#calling()].map((active) => active.number));
    // A window at a time, in the queue's order, until no line is left free: a pass reads what it can act on, not
    // every queued job (reading thousands of waiting jobs after each call made a long queue slower the longer it got).
    for (let offset = 0; ; ) {
      const window = this.#passWindow();
      const queued = await this.#queuedJobs(offset, window);
      for (const row of queued) {
        if (this.#closed) return;
        await this.#consider(row, now, busyNumbers);
      }
      if (queued.length < window || !this.#anyPortFree()) break;
      offset += window;
    }
    // Jobs past their age limit beyond the windows read still end now; and the queue wakes for the next scheduled one.
    const nowMs = Date.parse(now);
    const readAgainAtMs = this.#calendarReadAtMs + CALENDAR_EVERY_MS;
    if (nowMs < readAgainAtMs) {
      // The job the last read found scheduled, unless it has fallen due since (this pass has seen it then).
      const next = this.#nextScheduled === undefined ? readAgainAtMs : Date.parse(this.#nextScheduled);
      this.#wakeAt(next > nowMs ? Math.min(next, readAgainAtMs) : readAgainAtMs);
      return;
    }
    this.#calendarReadAtMs = nowMs;
    const calendar = await this.#calendar(now);
    if (calendar.expired) for (const row of await this.#expiredJobs(now)) await this.#expire(row);
    this.#nextScheduled = calendar.next;
    this.#scheduleNext(calendar.next);
  }

  /** Starts `row` on a free port if it is due and may go now; ends it if past its age limit; else marks it waiting. */
  async #consider(row: JobRow, now: string, busyNumbers: Set<string>): Promise<void> {
    if (this.#active.has(row.id)) return;
    if ((row.status & S.fjsPAUSED) !== 0 || (row.scheduled_time ?? now) > now) return;
    if (row.expires_at !== null && row.expires_at <= now) {
      await this.#expire(row);
      return;
    }
    // One number written two ways ("555-0100", "555 0100") is still one number: compared as dialed.
    const number = dialedNumber(row.recipient_number);
    if (this.#context.queueState().outgoingQueuePaused || busyNumbers.has(number)) return;
    const port = this.#freePort(row);
    if (!port) {
      if ((row.status & S.fjsNOLINE) === 0) await this.#markNoLine(row);
      return;
    }
    busyNumbers.add(number);
    this.#start(row, port);
  }

  /**
   * Marks `row` as waiting for a line (fjsNOLINE), deciding on the row as the pass read it. Another node may have
   * claimed or marked it since: the machine then refuses the mark, which leaves nothing to do here (it used to fail
   * the whole pass, and the queue stood still until the next kick or its retry ten seconds later).
   */
  async #markNoLine(row: JobRow): Promise<void> {
    try {
      await this.#context.book.applyAsRead(row, { type: 'noLine' });
    } catch (error) {
      if (!(error instanceof JobStateError)) throw error;
    }
  }

  /** How many queued jobs the pass reads next: WINDOW_PER_FREE_LINE for each line free now, within the bounds. */
  #passWindow(): number {
    const free = this.#freePorts().length;
    return Math.min(MAX_PASS_WINDOW, Math.max(MIN_PASS_WINDOW, free * WINDOW_PER_FREE_LINE));
  }

  /** The queued jobs, from `offset` in the queue's order, `window` of them at most. */
  #queuedRows(offset: number, window: number) {
    return (
      this.#queued()
        .selectAll()
        .orderBy('priority', 'desc')
        // Unscheduled jobs before scheduled ones of the same priority, on either store (PostgreSQL sorts nulls last).
        .orderBy('scheduled_time', (order) => order.asc().nullsFirst())
        .orderBy('submission_time')
        // A broadcast's jobs share their submission time: they go in the order of its recipients, which SQLite's row
        // order gave by itself and PostgreSQL's does not.
        .orderBy('broadcast_index', (order) => order.asc().nullsFirst())
        .orderBy('id')
        .limit(window)
        .offset(offset)
    );
  }

  /**
   * The queued jobs a pass can act on, a window from `offset`. While the queue is paused that is only those with an
   * age limit, which may have to end: reading every queued job instead made each submission to a paused queue cost
   * more than the one before (a thousand jobs waiting took milliseconds a submission). Resuming the queue kicks it for
   * the others.
   */
  async #queuedJobs(offset: number, window: number): Promise<JobRow[]> {
    const paused = this.#context.queueState().outgoingQueuePaused;
    return this.#queuedRows(offset, window)
      .$if(paused, (query) => query.where('expires_at', 'is not', null))
      .execute();
  }

  /** The queued outbound jobs (pending or retrying, paused or not). */
  #queued() {
    return this.#context.db.selectFrom('jobs').where(QUEUED);
  }

  /** Due, unpaused queued jobs past their age limit. */
  #expiredJobs(now: string): Promise<JobRow[]> {
    return this.#queued().selectAll().where(pastAgeLimit(now)).execute();
  }

  /**
   * What a pass ends with, in one read: when the next queued job scheduled after `now` falls due (undefined if none
   * is), and whether any due one is past its age limit (then read, to end it).
   */
  async #calendar(now: string): Promise<{ next: string | undefined; expired: boolean }> {
    const row = await this.#queued()
      .select((j) => [
        j.fn.min('scheduled_time').filterWhere('scheduled_time', '>', now).as('at'),
        j.fn.countAll<number>().filterWhere(pastAgeLimit(now)).as('expired'),
      ])
      .executeTakeFirst();
    return { next: row?.at ?? undefined, expired: Number(row?.expired ?? 0) > 0 };
  }

  /** Whether any port that may send is free and not taken by an attempt this queue has started. */
  #anyPortFree(): boolean {
    return this.#freePorts().length > 0;
  }

  /** The ports that may send and are free, not taken by an attempt this queue has started. */
  #freePorts(): PortRuntime[] {
    const taken = this.#taken();
    return this.#context.ports.filter((port) => port.config.send && port.free && !taken.has(port));
  }

  #taken(): Set<PortRuntime | undefined> {
    // A port taken in this pass shows as busy only once its attempt has started: count the queue's own attempts too.
    const taken = new Set<PortRuntime | undefined>();
    for (const { attempt } of this.#calling()) taken.add(attempt.port).add(attempt.port.partner);
    return taken;
  }

  /** The attempts whose call still holds its port and its number. */
  *#calling() {
    for (const active of this.#active.values()) if (active.calling) yield active;
  }

  #freePort(row: JobRow): PortRuntime | undefined {
    const candidates = this.#freePorts()
      .filter((port) => row.requested_line === null || port.id === row.requested_line)
      .sort((a, b) => a.config.priority - b.config.priority);
    return candidates[0];
  }

  #start(row: JobRow, port: PortRuntime): void {
    const attempt = new OutboundAttempt(row, port, this.#context);
    const active = { attempt, number: dialedNumber(row.recipient_number), calling: true, ended: Promise.resolve() };
    this.#active.set(row.id, active);
    active.ended = this.#follow(attempt, () => {
      // The port is free again once the attempt's end is recorded: the next job can have it while this one is
      // archived (writing its outbox copy took as long as the call itself at volume).
      active.calling = false;
      this.kick();
    });
    this.#context.onActivity();
  }

  /**
   * Runs `attempt`, calls `callOver` once it has run, and archives its job if it left the queue; the port and the queue
   * carry on after a logged fault.
   */
  async #follow(attempt: OutboundAttempt, callOver: () => void): Promise<void> {
    try {
      const finished = await attempt.run().finally(callOver);
      if (finished) await this.#context.archive.settle(finished);
    } catch (error) {
      if (error instanceof JobFencedError) {
        // Not a fault of the store: the job is the other node's to finish, and nothing here is left to settle.
        reportFaultToStderr(`outbound job ${attempt.jobId} was left to the node that took it over`, error);
        return;
      }
      // The store refused the attempt's last write: the job stays as it was stored until it can be settled.
      reportFaultToStderr(`outbound job ${attempt.jobId} did not end cleanly`, error);
      this.#context.endNotRecorded(attempt.jobId, attempt.claim);
    } finally {
      this.#active.delete(attempt.jobId);
      this.#context.onActivity();
      this.kick();
    }
  }

  async #expire(row: JobRow): Promise<void> {
    const reason = FAX_JOB_EXTENDED_STATUS_ENUM.fjesNONE;
    const ended = await this.#context.book.apply(
      row.id,
      { type: 'retriesExceeded', reason },
      { last_error: 'age-limit' },
    );
    await this.#context.archive.settle(ended);
  }

  /** Wakes the queue when the next scheduled job falls due (`upcoming`, or none). */
  #scheduleNext(upcoming: string | undefined): void {
    if (upcoming === undefined) this.#cancelWake?.();
    else this.#wakeAt(Date.parse(upcoming));
  }

  /** Kicks the queue at `atMs`, instead of any wake set before. */
  #wakeAt(atMs: number): void {
    this.#cancelWake?.();
    if (!this.#closed) this.#cancelWake = this.#context.clock.wakeAt(atMs, () => this.kick());
  }
}
