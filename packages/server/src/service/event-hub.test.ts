// The event log keeps going after a storage fault: one refused insert is reported, and the events after it are
// still stored, replayed to a reconnecting client, and delivered live. It keeps a window of events for replay, by
// count and by age on the service's clock, and never hands out a number again after pruning and a restart.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEvent } from '@faxd/contract';
import type { CompiledQuery } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { ManualClock } from '../testing/manual-clock.js';
import { allowWrites, refuseWrites } from '../testing/refused-writes.js';
import { openTestStore, testStoreKind } from '../testing/test-store.js';
import { EventHub } from './event-hub.js';

const OUT_QUEUE = FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE;

const added = (jobId: string): FaxServerEvent => ({ event: 'outgoingJobAdded', jobId });
const jobIdOf = (event: FaxServerEvent) => (event.event === 'outgoingJobAdded' ? event.jobId : '');
const onPostgres = testStoreKind() === 'postgres';

const REFUSED_BY_TRIGGER = { table: 'events', message: 'refused by test trigger' } as const;
const REFUSED_BODY = `NEW.body LIKE '%"refused"%'`;

describe('EventHub', () => {
  let dir = '';
  let db: FaxdDb;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-event-hub-'));
    db = await openTestStore(dir);
    // A real refusal from the store, for one event only: it rejects that row as a full disk or a lock would.
    await refuseWrites(db, { ...REFUSED_BY_TRIGGER, name: 'refuse_one', operation: 'insert', when: REFUSED_BODY });
  });
  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, replays and delivers the events after one whose insert failed', async () => {
    const faults: string[] = [];
    const hub = await EventHub.open(db, {
      reportFault: (what, error) => faults.push(`${what}: ${(error as Error).message}`),
    });
    const live: { seq: number; jobId: string }[] = [];
    hub.follow(OUT_QUEUE, (event, seq) => {
      if (event.event === 'outgoingJobAdded') live.push({ seq, jobId: event.jobId });
    });

    for (const jobId of ['before', 'refused', 'after', 'later']) hub.publish(added(jobId));
    await hub.flushed();

    const stored = await db.selectFrom('events').select(['seq', 'body']).orderBy('seq').execute();
    const storedJobs = stored.map((row) => ({ seq: row.seq, jobId: jobIdOf(JSON.parse(row.body)) }));
    assert.deepEqual(
      storedJobs.map(({ jobId }) => jobId),
      ['before', 'after', 'later'],
    );
    if (onPostgres) {
      // The store numbers the events; a refused one never had a number a client could see.
      assert.deepEqual(faults, ['an event (outgoingJobAdded) was not stored: refused by test trigger']);
      assert.ok(
        stored.every((row, i) => i === 0 || row.seq > (stored[i - 1]?.seq ?? 0)),
        'numbers only go up',
      );
    } else {
      assert.deepEqual(faults, ['event 2 (outgoingJobAdded) was not stored: refused by test trigger']);
      assert.deepEqual(
        stored.map((row) => row.seq),
        [1, 3, 4],
      );
    }
    const [first, , last] = storedJobs as [(typeof storedJobs)[0], unknown, (typeof storedJobs)[0]];

    // A client reconnecting with the first event's id as Last-Event-ID gets what was stored after it, in order.
    const replayed = await hub.since(first.seq, OUT_QUEUE);
    assert.deepEqual(
      replayed.map(({ seq, event }) => ({ seq, jobId: jobIdOf(event) })),
      storedJobs.slice(1),
    );

    // Events published after the fault are stored and delivered as well.
    hub.publish(added('next'));
    await hub.flushed();
    const next = await hub.since(last.seq, OUT_QUEUE);
    assert.deepEqual(
      next.map(({ event }) => jobIdOf(event)),
      ['next'],
    );
    // SQLite's hub delivers each event as it is published, PostgreSQL's once the store has numbered it.
    assert.deepEqual(
      live.map(({ jobId }) => jobId),
      onPostgres ? ['before', 'after', 'later', 'next'] : ['before', 'refused', 'after', 'later', 'next'],
    );
    if (onPostgres) {
      assert.deepEqual(live, [...storedJobs, { seq: next[0]?.seq, jobId: 'next' }], 'live numbers are the stored ones');
    }

    // A restarted hub numbers on after the last stored event, never reusing a number a client has seen.
    const reopened = await EventHub.open(db);
    reopened.publish(added('restarted'));
    await reopened.flushed();
    const restarted = await reopened.since(next[0]?.seq ?? 0, OUT_QUEUE);
    assert.deepEqual(
      restarted.map(({ event }) => jobIdOf(event)),
      ['restarted'],
    );
    if (!onPostgres) assert.equal(restarted[0]?.seq, 6);
  });

  it('stores the events published together in one insert, a thousand at most, in their order', async () => {
    // Every statement the store runs passes through its executor: the events' inserts are counted there.
    let inserts = 0;
    const executor = db.getExecutor();
    const original = executor.executeQuery;
    const execute = original.bind(executor);
    executor.executeQuery = <R>(query: CompiledQuery<R>) => {
      if (/insert into "?events"?/i.test(query.sql)) inserts++;
      return execute(query);
    };
    try {
      await publishTogether(db, () => inserts);
    } finally {
      executor.executeQuery = original;
    }
  });
});

/** A submission's two events, then a broadcast's to 1,250 recipients, each published together; `inserts` counts. */
async function publishTogether(db: FaxdDb, inserts: () => number): Promise<void> {
  const hub = await EventHub.open(db);
  const last = await db
    .selectFrom('events')
    .select((e) => e.fn.max('seq').as('seq'))
    .executeTakeFirst();
  hub.publish(added('job'));
  hub.publish(added('job'));
  await hub.flushed();
  assert.equal(inserts(), 1, "a submission's two events in one insert");
  const broadcast = Array.from({ length: 2500 }, (_, i) => `recipient-${i >> 1}`);
  for (const jobId of broadcast) hub.publish(added(jobId));
  await hub.flushed();
  assert.equal(inserts(), 1 + (onPostgres ? 1 : 3), 'the broadcast in inserts of a thousand at most');
  const stored = await db
    .selectFrom('events')
    .select(['seq', 'body'])
    .where('seq', '>', Number(last?.seq ?? 0))
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    stored.map((row) => jobIdOf(JSON.parse(row.body))),
    ['job', 'job', ...broadcast],
  );
  await hub.close();
}

const DAY_MS = 86_400_000;

describe('EventHub retention', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-event-retention-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const storedRows = (db: FaxdDb) => db.selectFrom('events').select(['seq', 'time']).orderBy('seq').execute();

  it('prunes past the count and the age, replays what is left, and numbers on after a restart', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'));
    const retention = { keepDays: 1, keepCount: 5 };
    let db = await openTestStore(dir);
    try {
      const hub = await EventHub.open(db, { clock });
      for (let i = 1; i <= 3; i++) hub.publish(added(`old-${i}`));
      clock.advance(2 * DAY_MS);
      for (let i = 1; i <= 8; i++) hub.publish(added(`new-${i}`));
      await hub.prune(retention);

      // Both bounds hold: the newest five, none older than a day.
      const kept = await storedRows(db);
      assert.deepEqual(
        kept.map((row) => row.seq),
        [7, 8, 9, 10, 11],
      );
      const since = new Date(clock.now() - DAY_MS).toISOString();
      assert.ok(kept.every((row) => row.time >= since));

      // A client that saw event 8 gets everything after it.
      const recent = await hub.replay(8, OUT_QUEUE);
      assert.equal(recent.firstKept, 7);
      assert.deepEqual(
        recent.events.map(({ seq, event }) => [seq, jobIdOf(event)]),
        [
          [9, 'new-6'],
          [10, 'new-7'],
          [11, 'new-8'],
        ],
      );
      // One that saw only event 1 gets what is left, and learns where the log now starts.
      const late = await hub.replay(1, OUT_QUEUE);
      assert.equal(late.firstKept, 7);
      assert.deepEqual(
        late.events.map(({ seq }) => seq),
        [7, 8, 9, 10, 11],
      );

      // A day and a half on, every event is past the age bound; the newest stays, holding the numbering.
      clock.advance(1.5 * DAY_MS);
      await hub.prune(retention);
      assert.deepEqual(
        (await storedRows(db)).map((row) => row.seq),
        [11],
      );
    } finally {
      await db.destroy();
    }

    // Restarted, and pruned again at start: the next event takes a number above every one used before.
    clock.advance(30 * DAY_MS);
    db = await openTestStore(dir);
    try {
      const hub = await EventHub.open(db, { clock });
      await hub.prune(retention);
      hub.publish(added('after-restart'));
      await hub.flushed();
      assert.deepEqual(
        (await storedRows(db)).map((row) => row.seq),
        [11, 12],
      );
      assert.deepEqual(
        (await hub.since(11, OUT_QUEUE)).map(({ seq, event }) => [seq, jobIdOf(event)]),
        [[12, 'after-restart']],
      );
    } finally {
      await db.destroy();
    }
  });

  it('reports a prune the store refuses, goes on storing events, and prunes once the store allows it', async () => {
    const db = await openTestStore(join(dir, 'refusing'));
    try {
      await refuseWrites(db, { ...REFUSED_BY_TRIGGER, name: 'refuse_delete', operation: 'delete' });
      const faults: string[] = [];
      const hub = await EventHub.open(db, {
        reportFault: (what, error) => faults.push(`${what}: ${(error as Error).message}`),
      });
      for (const jobId of ['a', 'b', 'c']) hub.publish(added(jobId));
      await hub.prune({ keepDays: 0, keepCount: 1 });
      hub.publish(added('d'));
      await hub.flushed();
      assert.deepEqual(faults, ['the event log was not pruned: refused by test trigger']);
      assert.equal((await storedRows(db)).length, 4);

      await allowWrites(db, { name: 'refuse_delete', table: 'events' });
      await hub.prune({ keepDays: 0, keepCount: 1 });
      assert.deepEqual(
        (await storedRows(db)).map((row) => row.seq),
        [4],
      );
    } finally {
      await db.destroy();
    }
  });
});
