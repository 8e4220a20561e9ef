// The server's notifications (IFaxServerNotify2): every event is logged in the store with a sequence number, then
// fanned out to the subscribers whose FAX_SERVER_EVENTS_TYPE_ENUM mask includes it, in the order they happened.

import { type FaxServerEvent, isSubscribed } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';

export type EventDelivery = (event: FaxServerEvent, seq: number) => void;

interface Subscriber {
  readonly mask: number;
  readonly deliver: EventDelivery;
}

export class EventHub {
  readonly #db: FaxdDb;
  readonly #subscribers = new Set<Subscriber>();
  #seq: number;
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(db: FaxdDb, lastSeq: number) {
    this.#db = db;
    this.#seq = lastSeq;
  }

  static async open(db: FaxdDb): Promise<EventHub> {
    const row = await db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('last'))
      .executeTakeFirst();
    return new EventHub(db, Number(row?.last ?? 0));
  }

  publish(event: FaxServerEvent): void {
    const seq = ++this.#seq;
    const record = { seq, time: new Date().toISOString(), name: event.event, body: JSON.stringify(event) };
    this.#writes = this.#writes.then(() => this.#db.insertInto('events').values(record).execute());
    for (const subscriber of this.#subscribers) {
      if (isSubscribed(subscriber.mask, event)) subscriber.deliver(event, seq);
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
  flushed(): Promise<unknown> {
    return this.#writes;
  }
}
