// Two event hubs on one PostgreSQL database, as two nodes have them: the store numbers both nodes' events in one
// sequence, and each hub's followers get every event of both, in that order, once each, with the numbers the log
// holds, while both publish at once; a hub whose listening connection is cut catches up on what it missed; a broadcast
// with more events than one statement can bind is stored whole, its events in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEvent } from '@faxd/contract';
import { sql } from 'kysely';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { newJobRow } from '../store/job-rows.js';
import { waitFor } from '../testing/faxd-fixture.js';
import { createTestDatabase } from '../testing/postgres-server.js';
import { ClusterEventLog, EVENTS_CHANNEL } from './cluster-event-log.js';
import { EventHub } from './event-hub.js';
import { JobBook } from './job-book.js';

const OUT_QUEUE = FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE;

type Heard = { seq: number; jobId: string }[];

const jobIdOf = (event: FaxServerEvent) => (event.event === 'outgoingJobAdded' ? event.jobId : '');

/** A node's hub on its own connections to the database at `url`, and what its follower has heard. */
async function node(url: string): Promise<{ db: FaxdDb; hub: EventHub; heard: Heard }> {
  const db = await openDatabase({ kind: 'postgres', url });
  const hub = await EventHub.open(db, { followOtherNodes: true });
  const heard: Heard = [];
  hub.follow(OUT_QUEUE, (event, seq) => heard.push({ seq, jobId: jobIdOf(event) }));
  return { db, hub, heard };
}

/** Every event of the log, in seq order. */
async function logged(db: FaxdDb): Promise<Heard> {
  const rows = await db.selectFrom('events').select(['seq', 'body']).orderBy('seq').execute();
  return rows.map((row) => ({ seq: row.seq, jobId: jobIdOf(JSON.parse(row.body)) }));
}

describe('the event log of nodes sharing PostgreSQL', () => {
  let a: Awaited<ReturnType<typeof node>>;
  let b: Awaited<ReturnType<typeof node>>;
  before(async () => {
    const url = await createTestDatabase();
    a = await node(url);
    b = await node(url);
  });
  after(async () => {
    for (const one of [a, b]) {
      await one.hub.close();
      await one.db.destroy();
    }
  });

  it('delivers both nodes’ events to both, in the store’s order, each once', async () => {
    // Published at once from both, in bursts, so inserts of the two nodes interleave and contend for the lock.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) {
        a.hub.publish({ event: 'outgoingJobAdded', jobId: `a-${round}-${i}` });
        b.hub.publish({ event: 'outgoingJobAdded', jobId: `b-${round}-${i}` });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([a.hub.flushed(), b.hub.flushed()]);
    const log = await logged(a.db);
    assert.equal(log.length, 200);
    for (const one of [a, b]) {
      await waitFor('every event to be delivered', () => (one.heard.length >= 200 ? true : undefined), 20_000);
    }
    // The same numbers, the same order, nothing twice, nothing missing: what the log holds.
    assert.deepEqual(a.heard, log);
    assert.deepEqual(b.heard, log);
    // Each node's own events are in the order it published them.
    const ofA = log.filter(({ jobId }) => jobId.startsWith('a-')).map(({ jobId }) => jobId);
    assert.deepEqual(
      ofA,
      Array.from({ length: 100 }, (_, n) => `a-${Math.floor(n / 5)}-${n % 5}`),
    );
  });

  it('catches up on the events logged while its listening connection was cut', async () => {
    const before = b.heard.length;
    const cut = await sql<{ cut: boolean }>`
      select pg_terminate_backend(pid) as cut from pg_stat_activity
      where datname = current_database() and query = ${`listen ${EVENTS_CHANNEL}`}`.execute(b.db);
    // Both hubs listen on a connection of their own; both are cut, and neither may lose an event for it.
    assert.equal(cut.rows.length, 2);
    for (let i = 0; i < 10; i++) a.hub.publish({ event: 'outgoingJobAdded', jobId: `missed-${i}` });
    await a.hub.flushed();
    await waitFor('the missed events', () => (b.heard.length >= before + 10 ? true : undefined), 20_000);
    const log = await logged(a.db);
    assert.deepEqual(b.heard, log);
    assert.deepEqual(a.heard, log);
  });

  it('numbers a job’s submission with its row, so a node that claims it at once announces it after', async () => {
    const bookA = new JobBook(a.db, a.hub, { nodeId: 'a', lockRows: true });
    const bookB = new JobBook(b.db, b.hub, { nodeId: 'b', lockRows: true });
    // A gathers events of its own already: the submission's must not wait with them.
    a.hub.publish({ event: 'outgoingJobAdded', jobId: 'gathering' });
    const row = newJobRow({ id: 'claimed-at-once', direction: 'outgoing', submission_time: new Date().toISOString() });
    await bookA.createAll([row]);
    const named = async () =>
      (await a.db.selectFrom('events').select(['seq', 'name', 'body']).orderBy('seq').execute())
        .filter((event) => (JSON.parse(event.body) as { jobId?: string }).jobId === row.id)
        .map((event) => event.name);
    assert.deepEqual(await named(), ['outgoingJobAdded', 'outgoingJobChanged'], 'in the log as the row is');
    assert.ok(await bookB.claim(row, {}), 'B claims the job');
    await Promise.all([a.hub.flushed(), b.hub.flushed()]);
    assert.deepEqual(await named(), ['outgoingJobAdded', 'outgoingJobChanged', 'outgoingJobChanged']);
  });

  it('stores a broadcast too large for one statement with its events, all in order', async () => {
    // 8,500 jobs: their 17,000 events take 68,000 values, past the 65,535 one PostgreSQL statement can bind.
    const book = new JobBook(a.db, a.hub, { nodeId: 'a', lockRows: true });
    const submitted = new Date().toISOString();
    const rows = Array.from({ length: 8500 }, (_, i) =>
      newJobRow({ id: `broadcast-${i}`, direction: 'outgoing', submission_time: submitted, broadcast_index: i }),
    );
    const last = (await logged(a.db)).at(-1)?.seq ?? 0;
    await book.createAll(rows);
    const { count } = await a.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('id', 'like', 'broadcast-%')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count), rows.length);
    const added = (await logged(a.db)).filter((entry) => entry.seq > last && entry.jobId.startsWith('broadcast-'));
    assert.deepEqual(
      added.map((entry) => entry.jobId),
      rows.map((row) => row.id),
      "each job's addition, in the broadcast's order",
    );
  });

  it('gives a follower that comes while the log is passed over the events that pass covers', async () => {
    const last = (await logged(a.db)).at(-1)?.seq ?? 0;
    const heard: Heard = [];
    // No follower when the pass begins; one by the time the newest seq is read back (a stream opening meanwhile).
    let asked = 0;
    const log = new ClusterEventLog(a.db, last, {
      reportFault: (what, error) => assert.fail(`${what}: ${error}`),
      deliver: (event, seq) => heard.push({ seq, jobId: jobIdOf(event) }),
      followed: () => asked++ > 0,
    });
    const time = new Date().toISOString();
    const stored = await log.insert(
      ['first', 'second'].map((jobId) => ({ time, event: { event: 'outgoingJobAdded', jobId } as FaxServerEvent })),
    );
    log.catchUp();
    await log.delivered();
    assert.deepEqual(
      heard,
      stored.map(({ seq }, i) => ({ seq, jobId: ['first', 'second'][i] })),
    );
  });
});
