// The server's notifications (IFaxServerNotify2): every event is logged in the store with a sequence number, then
// fanned out to the subscribers whose FAX_SERVER_EVENTS_TYPE_ENUM mask includes it, in the order they happened.
// A failed insert is a storage fault, not a crash: it is reported and the events after it are still stored.

import { type FaxServerEvent, isSubscribed } from '@faxd/contract';
import type { Insertable } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import type { EventTable } from '../store/schema.js';
import { type FaultReport, reportFaultToStderr } from './fault-report.js';

export type EventDelivery = (event: FaxServerEvent, seq: number) => void;

interface Subscriber {
  readonly mask: number;
  readonly deliver: EventDelivery;
}

export class EventHub {
  readonly #db: FaxdDb;
  readonly #subscribers = new Set<Subscriber>();
  readonly #reportFault: FaultReport;
  #seq: number;
  /** The inserts in publication order; it never rejects, so one refused insert does not hold back the next. */
  #writes: Promise<void> = Promise.resolve();

  private constructor(db: FaxdDb, lastSeq: number, reportFault: FaultReport) {
    this.#db = db;
    this.#seq = lastSeq;
    this.#reportFault = reportFault;
  }

  /** The hub over `db`'s event log; an event the store refuses goes to `reportFault` (it was still delivered live). */
  static async open(db: FaxdDb, reportFault: FaultReport = reportFaultToStderr): Promise<EventHub> {
    const row = await db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('last'))
      .executeTakeFirst();
    return new EventHub(db, Number(row?.last ?? 0), reportFault);
  }

  publish(event: FaxServerEvent): void {
    const seq = ++this.#seq;
    const record = { seq, time: new Date().toISOString(), name: event.event, body: JSON.stringify(event) };
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

  /** Events logged after `seq` that `mask` selects, oldest first (a reconnecting client's Last-Event-ID). */
  async since(seq: number, mask: number): Promise<{ seq: number; event: FaxServerEvent }[]> {
    await this.#writes;
    const rows = await this.#db.selectFrom('events').selectAll().where('seq', '>', seq).orderBy('seq').execute();
    return rows
      .map((row) => ({ seq: row.seq, event: JSON.parse(row.body) as FaxServerEvent }))
      .filter((entry) => isSubscribed(mask, entry.event));
  }

  /** Resolves when every published event is in the store. */
  flushed(): Promise<void> {
    return this.#writes;
  }
}
