// The server's notifications (IFaxServerNotify2): every event is logged in the store with a sequence number, then
// fanned out to the subscribers whose FAX_SERVER_EVENTS_TYPE_ENUM mask includes it, in the order they happened.
// A failed insert is a storage fault, not a crash: it is reported and the events after it are still stored. The log
// keeps what replay needs (issue 17 item 6): a window of the newest events by count and age, pruned at start and
// periodically; the newest event is never pruned, so a restarted hub numbers on after every number already used.

import { type FaxServerEvent, isSubscribed } from '@faxd/contract';
import type { Insertable } from 'kysely';
import type { EventLogConfig } from '../config/faxd-config.js';
import type { FaxdDb } from '../store/database.js';
import type { EventTable } from '../store/schema.js';
import { type Clock, systemClock } from './clock.js';
import { type FaultReport, reportFaultToStderr } from './fault-report.js';

export type EventDelivery = (event: FaxServerEvent, seq: number) => void;

export interface EventHubOptions {
  /** What stamps each event's time, which the age bound is measured against. */
  readonly clock?: Clock;
  /** Where an event the store refuses, or a prune that fails, is reported (the event was still delivered live). */
  readonly reportFault?: FaultReport;
}

/** A replay: the events after the client's Last-Event-ID, and the oldest sequence number still in the log. */
export interface EventReplay {
  /** null when the log is empty; a Last-Event-ID below `firstKept - 1` asked for events that were pruned. */
  readonly firstKept: number | null;
  readonly events: { seq: number; event: FaxServerEvent }[];
}

interface Subscriber {
  readonly mask: number;
  readonly deliver: EventDelivery;
}

export class EventHub {
  readonly #db: FaxdDb;
  readonly #subscribers = new Set<Subscriber>();
  readonly #reportFault: FaultReport;
  readonly #clock: Clock;
  #seq: number;
  /**
   * The inserts in publication order, and the prunes between them; it never rejects, so one refused write does not
   * hold back the next.
   */
  #writes: Promise<void> = Promise.resolve();

  private constructor(db: FaxdDb, lastSeq: number, options: EventHubOptions) {
    this.#db = db;
    this.#seq = lastSeq;
    this.#reportFault = options.reportFault ?? reportFaultToStderr;
    this.#clock = options.clock ?? systemClock;
  }

  /** The hub over `db`'s event log, numbering on from its newest event. */
  static async open(db: FaxdDb, options: EventHubOptions = {}): Promise<EventHub> {
    const row = await db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('last'))
      .executeTakeFirst();
    return new EventHub(db, Number(row?.last ?? 0), options);
  }

  publish(event: FaxServerEvent): void {
    const seq = ++this.#seq;
    const time = new Date(this.#clock.now()).toISOString();
    const record = { seq, time, name: event.event, body: JSON.stringify(event) };
    this.#writes = this.#writes.then(() => this.#store(seq, event, record));
    for (const subscriber of this.#subscribers) {
      if (isSubscribed(subscriber.mask, event)) subscriber.deliver(event, seq);
    }
  }

  async #store(seq: number, event: FaxServerEvent, record: Insertable<EventTable>): Promise<void> {
    try {
      await this.#db.insertInto('events').values(record).execute();
    } catch (error) {
      // The sequence number stays used: a replay skips it, and a later event never takes an earlier one's number.
      this.#reportFault(`event ${seq} (${event.event}) was not stored`, error);
    }
  }

  /** Starts delivering events in `mask`; returns the function that stops it. */
  subscribe(mask: number, deliver: EventDelivery): () => void {
    const subscriber = { mask, deliver };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /**
   * Deletes the events outside `retention` as of the clock's now: older than `keepDays`, or beyond the newest
   * `keepCount`. The newest event always stays, whatever its age, so the numbering survives a restart. Queued with
   * the inserts (flushed() waits for it); a failure is reported, and the next prune tries again.
   */
  prune(retention: EventLogConfig): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      try {
        await this.#deleteOutside(retention);
      } catch (error) {
        this.#reportFault('the event log was not pruned', error);
      }
    });
    return this.#writes;
  }

  async #deleteOutside({ keepDays, keepCount }: EventLogConfig): Promise<void> {
    const oldestByCount = await this.#db
      .selectFrom('events')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .offset(Math.max(0, keepCount - 1))
      .executeTakeFirst();
    if (oldestByCount !== undefined) {
      await this.#db.deleteFrom('events').where('seq', '<', oldestByCount.seq).execute();
    }
    if (keepDays <= 0) return;
    const before = new Date(this.#clock.now() - keepDays * 86_400_000).toISOString();
    const last = await this.#db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('seq'))
      .executeTakeFirst();
    await this.#db
      .deleteFrom('events')
      .where('time', '<', before)
      .where('seq', '<', Number(last?.seq ?? 0))
      .execute();
  }

  /**
   * The events logged after `seq` that `mask` selects, oldest first (a reconnecting client's Last-Event-ID), and
   * where the log now starts, read together so that a prune cannot fall between them.
   */
  async replay(seq: number, mask: number): Promise<EventReplay> {
    await this.#writes;
    // One snapshot for both reads: PostgreSQL's default (read committed) takes one a statement; SQLite's transactions
    // are serializable whatever is asked.
    return this.#db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const first = await trx
          .selectFrom('events')
          .select((e) => e.fn.min('seq').as('seq'))
          .executeTakeFirst();
        const rows = await trx.selectFrom('events').selectAll().where('seq', '>', seq).orderBy('seq').execute();
        const events = rows
          .map((row) => ({ seq: row.seq, event: JSON.parse(row.body) as FaxServerEvent }))
          .filter((entry) => isSubscribed(mask, entry.event));
        const firstKept = first?.seq ?? null;
        return { firstKept: firstKept === null ? null : Number(firstKept), events };
      });
  }

  /** Events logged after `seq` that `mask` selects, oldest first. */
  async since(seq: number, mask: number): Promise<{ seq: number; event: FaxServerEvent }[]> {
    return (await this.replay(seq, mask)).events;
  }

  /** Resolves when every published event is in the store. */
  flushed(): Promise<void> {
    return this.#writes;
  }
}
