// The server's notifications (IFaxServerNotify2): every event is logged in the store with a sequence number and fanned
// out to the subscribers whose FAX_SERVER_EVENTS_TYPE_ENUM mask includes it, in the order they happened. Two kinds of
// subscriber: `subscribe` hears this node's events as they are published (what its metrics, logs and mail count);
// `follow` hears the log in seq order (what event streams send). On SQLite (one node) the hub numbers the events
// itself and both hear each event at once. On PostgreSQL the store numbers every node's events in one sequence and
// followers hear each node's events once stored, a few milliseconds' worth to an insert (service/cluster-event-log.ts),
// so a stream on any node shows the cluster's events with the same numbers. A failed insert is a storage fault, not a
// crash: it is reported and the events after it are still stored. The log keeps what replay needs (issue 17 item 6):
// a window of the newest events by count and age, pruned at start and periodically; the newest event is never
// pruned, so a restarted hub numbers on after every number already used.

import { type FaxServerEvent, isSubscribed } from '@faxd/contract';
import type { Insertable, OperationNodeSource } from 'kysely';
import type { EventLogConfig } from '../config/faxd-config.js';
import { type FaxdDb, storeConfigOf } from '../store/database.js';
import type { EventTable } from '../store/schema.js';
import { chunksOf } from './chunks.js';
import { type Clock, systemClock } from './clock.js';
import { ClusterEventLog, type LoggedEvent } from './cluster-event-log.js';
import { CoalescedTask } from './coalesced-task.js';
import { type FaultReport, reportFaultToStderr } from './fault-report.js';

/** A follower's delivery: an event of the log and its sequence number. */
export type EventDelivery = (event: FaxServerEvent, seq: number) => void;
/** A subscriber's delivery: an event this node published. */
export type LocalEventDelivery = (event: FaxServerEvent) => void;

/** How often a node on PostgreSQL reads the log unasked, in case a notice of another node's events was lost. */
const POLL_MS = 2000;
/**
 * How long a node on PostgreSQL gathers the events it publishes before it stores them in one insert: a call's events
 * come a few milliseconds apart, and an insert each (a lock, a NOTIFY the other nodes hear) was a quarter of the
 * statements a job cost. Followers hear them this much later.
 */
const GATHER_MS = 20;
/** SQLite: rows an insert of events takes at most, four values each, well within SQLite's 32,766 bound variables. */
const EVENTS_PER_INSERT = 1000;

export interface EventHubOptions {
  /** What stamps each event's time, which the age bound is measured against. */
  readonly clock?: Clock;
  /** Where an event the store refuses, or a prune that fails, is reported (the event was still delivered live). */
  readonly reportFault?: FaultReport;
  /**
   * On PostgreSQL, whether followers hear the other nodes' events too (LISTEN, and a poll in case a notice is lost),
   * until close(); without it they hear this hub's own, numbered by the store all the same. Ignored on SQLite.
   */
  readonly followOtherNodes?: boolean;
}

/** A replay: the events after the client's Last-Event-ID, and the oldest sequence number still in the log. */
export interface EventReplay {
  /** null when the log is empty; a Last-Event-ID below `firstKept - 1` asked for events that were pruned. */
  readonly firstKept: number | null;
  readonly events: { seq: number; event: FaxServerEvent }[];
}

/** Events logWith() stored with a write (numbered, on PostgreSQL), for publishLogged() once it is committed. */
export interface LoggedWith {
  readonly events: readonly FaxServerEvent[];
  readonly stored: readonly { seq: number; event: FaxServerEvent }[] | undefined;
}

/** An event numbered by this hub and its row of the log (SQLite only). */
interface NumberedEvent {
  readonly event: FaxServerEvent;
  readonly record: Insertable<EventTable> & { readonly seq: number };
}

interface Subscriber<Delivery> {
  readonly mask: number;
  readonly deliver: Delivery;
}

export class EventHub {
  readonly #db: FaxdDb;
  readonly #subscribers = new Set<Subscriber<LocalEventDelivery>>();
  readonly #followers = new Set<Subscriber<EventDelivery>>();
  readonly #reportFault: FaultReport;
  readonly #clock: Clock;
  /** The last number this hub gave out (SQLite only). */
  #seq: number;
  /** The store's numbering and the ordered delivery of every node's events (PostgreSQL only). */
  readonly #cluster: ClusterEventLog | undefined;
  /** Events published and not yet handed to the store (PostgreSQL: they go in one insert). */
  #unstored: LoggedEvent[] = [];
  /** The insert of the events gathered in #unstored (PostgreSQL only). */
  readonly #inserts: CoalescedTask | undefined;
  /**
   * The inserts in publication order (SQLite; PostgreSQL's gather in #inserts), and the prunes between them; it never
   * rejects, so one refused write does not hold back the next.
   */
  #writes: Promise<void> = Promise.resolve();
  /** Events published and not yet inserted (SQLite: those published together go in one insert). */
  #pending: NumberedEvent[] = [];

  private constructor(db: FaxdDb, lastSeq: number, options: EventHubOptions) {
    this.#db = db;
    this.#seq = lastSeq;
    this.#reportFault = options.reportFault ?? reportFaultToStderr;
    this.#clock = options.clock ?? systemClock;
    const store = storeConfigOf(db);
    if (store.kind !== 'postgres') return;
    const cluster = new ClusterEventLog(db, lastSeq, {
      reportFault: this.#reportFault,
      deliver: (event, seq) => this.#deliverToFollowers(event, seq),
      followed: () => this.#followers.size > 0,
    });
    this.#cluster = cluster;
    this.#inserts = new CoalescedTask(
      async () => {
        const batch = this.#unstored;
        this.#unstored = [];
        cluster.stored(await cluster.insert(batch));
      },
      { windowMs: GATHER_MS, what: 'events were not stored', reportFault: this.#reportFault },
    );
    if (options.followOtherNodes) this.#cluster.listen(store.url, systemClock, POLL_MS);
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
    const time = new Date(this.#clock.now()).toISOString();
    if (this.#cluster) this.#queueForStore({ time, event });
    else {
      const seq = ++this.#seq;
      this.#pending.push({ event, record: { seq, time, name: event.event, body: JSON.stringify(event) } });
      if (this.#pending.length === 1) this.#writes = this.#writes.then(() => this.#storePending());
      this.#deliverToFollowers(event, seq);
    }
    this.#deliverToSubscribers(event);
  }

  #deliverToSubscribers(event: FaxServerEvent): void {
    for (const subscriber of this.#subscribers) {
      if (isSubscribed(subscriber.mask, event)) subscriber.deliver(event);
    }
  }

  /**
   * Runs `write` (an INSERT, UPDATE or DELETE built on `db`, the hub's database or a transaction of it) and, on
   * PostgreSQL, stores `events` in the same statement, so they are numbered before any node can read what `write`
   * wrote: a job another node claims the moment it is submitted is announced added before that node announces it
   * changed. Once the write is committed, publishLogged() hands them to the subscribers and followers. On SQLite (one
   * node) the write runs alone and the events are numbered as they are published. Throws what the store refuses, having
   * stored none of it.
   */
  async logWith(
    db: FaxdDb,
    write: OperationNodeSource & { execute(): Promise<unknown> },
    events: readonly FaxServerEvent[],
  ): Promise<LoggedWith> {
    if (!this.#cluster || events.length === 0) {
      await write.execute();
      return { events, stored: undefined };
    }
    const time = new Date(this.#clock.now()).toISOString();
    const stored = await this.#cluster.insertWith(
      db,
      write,
      events.map((event) => ({ time, event })),
    );
    return { events, stored };
  }

  /** Publishes the events of a committed logWith(): numbered already on PostgreSQL, as publish() does on SQLite. */
  publishLogged({ events, stored }: LoggedWith): void {
    if (!stored) {
      for (const event of events) this.publish(event);
      return;
    }
    this.#cluster?.stored(stored);
    for (const event of events) this.#deliverToSubscribers(event);
  }

  /** PostgreSQL: the event goes into the next insert, which takes every event published until it starts. */
  #queueForStore(logged: LoggedEvent): void {
    this.#unstored.push(logged);
    this.#inserts?.request();
  }

  #deliverToFollowers(event: FaxServerEvent, seq: number): void {
    for (const follower of this.#followers) {
      if (isSubscribed(follower.mask, event)) follower.deliver(event, seq);
    }
  }

  /**
   * Inserts the events published since the last insert began, in one statement a batch: a job's submission publishes
   * two, a broadcast's two a recipient, and each insert on its own was a transaction of its own. A batch the store
   * refuses is tried again an event at a time, so that one refused event does not take the others with it.
   */
  async #storePending(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    for (const batch of chunksOf(pending, EVENTS_PER_INSERT)) {
      try {
        await this.#db
          .insertInto('events')
          .values(batch.map(({ record }) => record))
          .execute();
      } catch {
        for (const numbered of batch) await this.#store(numbered);
      }
    }
  }

  async #store({ event, record }: NumberedEvent): Promise<void> {
    try {
      await this.#db.insertInto('events').values(record).execute();
    } catch (error) {
      // The sequence number stays used: a replay skips it, and a later event never takes an earlier one's number.
      this.#reportFault(`event ${record.seq} (${event.event}) was not stored`, error);
    }
  }

  /** Starts delivering the events in `mask` this node publishes, as it publishes them; returns what stops it. */
  subscribe(mask: number, deliver: LocalEventDelivery): () => void {
    const subscriber = { mask, deliver };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /**
   * Starts delivering the logged events in `mask` with their numbers, in seq order, each once: on PostgreSQL every
   * node's (with followOtherNodes), once stored; on SQLite this node's, as published. Returns what stops it.
   */
  follow(mask: number, deliver: EventDelivery): () => void {
    const follower = { mask, deliver };
    this.#followers.add(follower);
    return () => this.#followers.delete(follower);
  }

  /**
   * Deletes the events outside `retention` as of the clock's now: older than `keepDays`, or beyond the newest
   * `keepCount`. The newest event always stays, whatever its age, so the numbering survives a restart. Queued after
   * the inserts of the events published so far (flushed() waits for it); a failure is reported, and the next prune
   * tries again.
   */
  prune(retention: EventLogConfig): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      await this.#inserts?.idle();
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
    await this.#stored();
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

  /** Resolves when every published event is in the store (and, on PostgreSQL, delivered to the followers). */
  async flushed(): Promise<void> {
    await this.#stored();
    await this.#cluster?.delivered();
  }

  /** Resolves when every event published so far is in the store, and the prunes asked for are done. */
  async #stored(): Promise<void> {
    await this.#inserts?.idle();
    await this.#writes;
  }

  /** Stops hearing other nodes' events; resolves when the events published so far are stored and delivered. */
  async close(): Promise<void> {
    await this.flushed();
    await this.#cluster?.close();
  }
}
