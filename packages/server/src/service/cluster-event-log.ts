// The event log of several nodes on one PostgreSQL database (issue 16): the store numbers every node's events in one
// sequence, and each node delivers the log to its followers (event streams) in that order, once each. An insert takes
// a transaction-level advisory lock before the sequence hands out its numbers and keeps it until it commits, so the
// numbers commit in order: once event N is readable, every event before it is readable or was never stored, and a
// node reading "after the last one I delivered" never skips one. A NOTIFY at commit tells the other nodes to read;
// one that misses it (its listening connection dropped) reads on reconnecting and at the next poll all the same.

import { randomUUID } from 'node:crypto';
import type { FaxServerEvent } from '@faxd/contract';
import { type OperationNodeSource, sql } from 'kysely';
import pg from 'pg';
import type { FaxdDb } from '../store/database.js';
import { chunksOf } from './chunks.js';
import type { Clock } from './clock.js';
import type { FaultReport } from './fault-report.js';

/** The transaction-level advisory lock every event insert holds until it commits: "faxe" + 1 in ASCII. */
const EVENT_LOCK_KEY = 0x66617866;
/** The channel a committed insert notifies, its payload the inserting hub's id (a hub ignores its own). */
export const EVENTS_CHANNEL = 'faxd_events';
/**
 * Events one statement stores at most: four values each, 20,000 of PostgreSQL's 65,535 bound parameters, which leaves
 * room for the job rows written with them. A broadcast's events (two a recipient) can be many more.
 */
const EVENTS_PER_STATEMENT = 5000;
/** Rows one catch-up read takes at a time. */
const READ_BATCH = 500;
/** How long a dropped listening connection waits before it connects again. */
const RECONNECT_MS = 1000;

/** An event as the log stores it. */
export interface LoggedEvent {
  readonly time: string;
  readonly event: FaxServerEvent;
}

export interface ClusterEventLogOptions {
  readonly reportFault: FaultReport;
  /** Delivers one logged event to the hub's followers; called in seq order, once per seq. */
  readonly deliver: (event: FaxServerEvent, seq: number) => void;
  /** Whether any follower is listening: with none, only the newest seq is read back. */
  readonly followed: () => boolean;
}

export class ClusterEventLog {
  readonly #db: FaxdDb;
  readonly #options: ClusterEventLogOptions;
  readonly #id = randomUUID();
  /** The newest seq delivered to the followers (or passed over while there were none). */
  #delivered: number;
  /** Delivery steps, one at a time, in the order they were asked for; never rejects. */
  #delivery: Promise<void> = Promise.resolve();
  /** A catch-up read is queued and has not started: another request for one joins it. */
  #catchUpQueued = false;
  #listener: { close(): Promise<void> } | undefined;

  constructor(db: FaxdDb, lastSeq: number, options: ClusterEventLogOptions) {
    this.#db = db;
    this.#delivered = lastSeq;
    this.#options = options;
  }

  /**
   * Stores `events` in their order, in one statement when the store takes them all; the numbers of those stored with
   * their events. A batch refused is stored one event at a time, so one refused event loses only itself.
   */
  async insert(events: readonly LoggedEvent[]): Promise<{ seq: number; event: FaxServerEvent }[]> {
    if (events.length > EVENTS_PER_STATEMENT) {
      const stored: { seq: number; event: FaxServerEvent }[] = [];
      for (const chunk of chunksOf(events, EVENTS_PER_STATEMENT)) stored.push(...(await this.insert(chunk)));
      return stored;
    }
    try {
      const seqs = await this.#insertRows(events);
      return events.map(({ event }, i) => ({ seq: seqs[i] as number, event }));
    } catch (error) {
      if (events.length === 1) {
        this.#options.reportFault(`an event (${events[0]?.event.event}) was not stored`, error);
        return [];
      }
    }
    const stored: { seq: number; event: FaxServerEvent }[] = [];
    for (const one of events) stored.push(...(await this.insert([one])));
    return stored;
  }

  /**
   * Runs `write` (an INSERT, UPDATE or DELETE) through `db` and stores `events` with it, all or none: the events have
   * their numbers before any node can read what `write` wrote. Throws what the store refuses. More events than one
   * statement takes go in several, which only a transaction (`db` one) keeps all or none and hidden until its commit.
   */
  async insertWith(
    db: FaxdDb,
    write: OperationNodeSource,
    events: readonly LoggedEvent[],
  ): Promise<{ seq: number; event: FaxServerEvent }[]> {
    if (events.length > EVENTS_PER_STATEMENT && !db.isTransaction) {
      throw new RangeError(`${events.length} events are stored with a write only inside a transaction`);
    }
    const [first = [], ...rest] = chunksOf(events, EVENTS_PER_STATEMENT);
    const seqs = await this.#insertRows(first, db, sql`written as (${write}),`);
    for (const chunk of rest) seqs.push(...(await this.#insertRows(chunk, db)));
    return events.map(({ event }, i) => ({ seq: seqs[i] as number, event }));
  }

  async #insertRows(events: readonly LoggedEvent[], db = this.#db, along = sql``): Promise<number[]> {
    const rows = sql.join(
      events.map(({ time, event }, i) => sql`(${time}, ${event.event}, ${JSON.stringify(event)}, ${i}::integer)`),
    );
    // One statement, so one round trip: the lock is taken before the first row draws its number from the sequence,
    // and a statement outside a transaction commits (releasing the lock, sending the notice) as it ends; inside one,
    // the lock and the notice wait for its commit.
    const { rows: stored } = await sql<{ seq: number }>`
      with ${along} event_lock as (select pg_advisory_xact_lock(${EVENT_LOCK_KEY}::bigint)),
      stored as (
        insert into events (time, name, body)
        select v.time, v.name, v.body from event_lock, (values ${rows}) as v (time, name, body, position)
        order by v.position
        returning seq
      )
      select seq, pg_notify(${EVENTS_CHANNEL}, ${this.#id}) as notified from stored order by seq`.execute(db);
    return stored.map((row) => Number(row.seq));
  }

  /** This node has stored `entries` (in seq order): delivered at once when nothing can be between, else read back. */
  stored(entries: readonly { seq: number; event: FaxServerEvent }[]): void {
    const last = entries.at(-1);
    if (last === undefined) return;
    this.#step(async () => {
      if (!this.#options.followed()) {
        this.#delivered = Math.max(this.#delivered, last.seq);
        return;
      }
      const fresh = entries.filter(({ seq }) => seq > this.#delivered);
      const follows = fresh.every(({ seq }, i) => seq === this.#delivered + 1 + i);
      if (!follows) return this.#readAfterDelivered();
      for (const { seq, event } of fresh) this.#deliverOne(event, seq);
    });
  }

  /** Reads and delivers what the log holds after the last event delivered (another node's notice, a poll). */
  catchUp(): void {
    if (this.#catchUpQueued) return;
    this.#catchUpQueued = true;
    this.#step(() => {
      this.#catchUpQueued = false;
      return this.#options.followed() ? this.#readAfterDelivered() : this.#passOver();
    });
  }

  /** Resolves when every delivery asked for so far is done. */
  delivered(): Promise<void> {
    return this.#delivery;
  }

  /**
   * Hears other nodes' inserts from now on: LISTEN on a connection of its own at `url`, reconnecting when it drops,
   * and a read every `pollMs` of `clock` besides, in case a notice was lost.
   */
  listen(url: string, clock: Clock, pollMs: number): void {
    let closed = false;
    let client: pg.Client | undefined;
    let cancelTimer = () => {};
    const connect = () => {
      const next = new pg.Client({ connectionString: url });
      client = next;
      next.on('notification', (notice) => {
        // Without a follower, the poll alone keeps up with where the log has got to: a busy cluster sends a node
        // hundreds of notices a second, and each would cost a query for nothing.
        if (notice.payload !== this.#id && this.#options.followed()) this.catchUp();
      });
      next.on('error', (error) => dropped(next, error));
      next.on('end', () => dropped(next, new Error('the connection ended')));
      next
        .connect()
        .then(() => next.query(`listen ${EVENTS_CHANNEL}`))
        // What was logged while no connection listened is read now.
        .then(() => this.catchUp())
        .catch((error: unknown) => dropped(next, error));
    };
    const dropped = (which: pg.Client, error: unknown) => {
      if (closed || client !== which) return;
      client = undefined;
      this.#options.reportFault('the connection hearing other nodes’ events was lost', error);
      void which.end().catch(() => {});
      cancelTimer = clock.wakeAt(clock.now() + RECONNECT_MS, connect);
    };
    const poll = () => {
      this.catchUp();
      cancelPoll = clock.wakeAt(clock.now() + pollMs, poll);
    };
    let cancelPoll = clock.wakeAt(clock.now() + pollMs, poll);
    connect();
    this.#listener = {
      close: async () => {
        closed = true;
        cancelTimer();
        cancelPoll();
        await client?.end().catch(() => {});
      },
    };
  }

  /** Stops hearing other nodes; resolves once the deliveries under way are done. */
  async close(): Promise<void> {
    await this.#listener?.close();
    await this.#delivery;
  }

  #step(step: () => Promise<void> | void): void {
    this.#delivery = this.#delivery.then(step).catch((error: unknown) => {
      // Nothing was passed over: the next notice or poll reads from the same place again.
      this.#options.reportFault(`the events after ${this.#delivered} could not be read`, error);
    });
  }

  async #readAfterDelivered(): Promise<void> {
    for (;;) {
      const rows = await this.#db
        .selectFrom('events')
        .select(['seq', 'body'])
        .where('seq', '>', this.#delivered)
        .orderBy('seq')
        .limit(READ_BATCH)
        .execute();
      for (const row of rows) this.#deliverOne(JSON.parse(row.body) as FaxServerEvent, Number(row.seq));
      if (rows.length < READ_BATCH) return;
    }
  }

  /**
   * With no follower, only where the log has got to: a stream opened later starts there, not at whatever this node
   * last delivered hours ago (it may get the events of the last poll interval before it opened, never fewer).
   */
  async #passOver(): Promise<void> {
    const row = await this.#db
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('last'))
      .executeTakeFirst();
    // A follower that came while the newest seq was read may have come before events that seq covers: it gets them.
    if (this.#options.followed()) return this.#readAfterDelivered();
    this.#delivered = Math.max(this.#delivered, Number(row?.last ?? 0));
  }

  #deliverOne(event: FaxServerEvent, seq: number): void {
    this.#delivered = seq;
    this.#options.deliver(event, seq);
  }
}
