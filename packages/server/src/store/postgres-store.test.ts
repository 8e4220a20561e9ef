// The store on PostgreSQL, whatever FAXD_TEST_STORE says: the migrations run once when two nodes open one database at
// the same moment, a job's row comes back exactly as written (numbers as numbers, nulls as nulls), and the
// transactions of the job book, the archive, the user store and the event hub keep their promises against a real
// server, where (unlike SQLite) two transactions can run at once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { FAX_SERVER_EVENTS_TYPE_ENUM } from '@faxd/contract';
import { sql } from 'kysely';
import pg from 'pg';
import { UserStore, UserStoreError } from '../auth/user-store.js';
import { Archive } from '../service/archive.js';
import { BroadcastDocuments } from '../service/broadcast-documents.js';
import { DataFiles } from '../service/data-files.js';
import { EventHub } from '../service/event-hub.js';
import { JobBook } from '../service/job-book.js';
import { waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createTestDatabase, testPostgresUrl } from '../testing/postgres-server.js';
import { type FaxdDb, openDatabase, StoreUnavailableError } from './database.js';
import { findJob, newJobRow } from './job-rows.js';

const OUT_QUEUE = FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE;

/** A fresh database on the test server, opened (and migrated). */
async function freshStore(): Promise<FaxdDb> {
  return openDatabase({ kind: 'postgres', url: await createTestDatabase() });
}

describe('the store on PostgreSQL', () => {
  let dir = '';
  let db: FaxdDb;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-postgres-store-'));
    db = await freshStore();
  });
  after(async () => {
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('is migrated once when two nodes open the same new database at the same moment', async () => {
    const url = await createTestDatabase();
    const nodes = await Promise.all([openDatabase({ kind: 'postgres', url }), openDatabase({ kind: 'postgres', url })]);
    try {
      const [first] = nodes as [FaxdDb, FaxdDb];
      const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(first);
      assert.deepEqual(
        applied.rows.map((row) => row.name),
        [
          '0001-initial',
          '0002-broadcasts',
          '0003-users',
          '0004-audit-log',
          '0005-mail-deliveries',
          '0006-cluster-nodes',
          '0007-port-status',
          '0008-queued-jobs',
        ],
      );
      assert.deepEqual(await first.selectFrom('queue_state').selectAll().execute(), [
        { id: 1, outgoing_blocked: 0, outgoing_paused: 0, incoming_blocked: 0 },
      ]);
      // A third node later finds everything done.
      const late = await openDatabase({ kind: 'postgres', url });
      await late.destroy();
    } finally {
      for (const node of nodes) await node.destroy();
    }
  });

  it('refuses to open a database that is not there, naming it and not the password', async () => {
    const url = new URL(await testPostgresUrl());
    url.pathname = '/faxd_absent';
    url.password = 'hunter2';
    await assert.rejects(openDatabase({ kind: 'postgres', url: url.href }), (error: Error) => {
      assert.ok(error instanceof StoreUnavailableError, String(error));
      assert.match(error.message, /^cannot open the PostgreSQL store \S+\/faxd_absent: .*faxd_absent/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });

  it('reports an idle connection the server drops, and goes on with a new one', async () => {
    const store = await freshStore();
    const stderr = mock.method(process.stderr, 'write', () => true);
    try {
      await store.selectFrom('queue_state').selectAll().execute();
      const admin = new pg.Client({ connectionString: await testPostgresUrl() });
      await admin.connect();
      let dropped = 0;
      try {
        const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(store)).rows[0]?.db;
        const ended = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
        dropped = ended.rowCount ?? 0;
      } finally {
        await admin.end();
      }
      assert.ok(dropped >= 1, 'the store held at least one connection');
      // Every pooled connection hears of its end on its own; a query sent before the last one has is that query's
      // failure, so the test waits for each report (one per dropped connection) before it asks again.
      const reports = () =>
        stderr.mock.calls.filter((call) =>
          String(call.arguments[0]).startsWith('faxd: an idle connection to PostgreSQL was lost: '),
        ).length;
      await waitFor('every lost connection to be reported', () => (reports() >= dropped ? true : undefined));
      assert.equal((await store.selectFrom('queue_state').selectAll().execute()).length, 1);
    } finally {
      stderr.mock.restore();
      await store.destroy();
    }
  });

  it('gives a job row back exactly as it was written', async () => {
    const row = newJobRow({
      id: 'roundtrip',
      direction: 'outgoing',
      submission_time: '2026-01-02T03:04:05.000Z',
      device_id: 7,
      recipient_number: '+1 555 0100',
      recipient_name: 'Zoë',
      scheduled_time: null,
      requested_line: null,
      size: 3 * 2 ** 31, // past PostgreSQL's integer: a long fine-resolution fax
      broadcast_id: 'b',
      broadcast_index: 0,
      notify: null,
      owner_id: null,
    });
    await db.insertInto('jobs').values(row).execute();
    assert.deepEqual(await findJob(db, 'roundtrip'), row);
    const counted = await db
      .selectFrom('jobs')
      .select((j) => j.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(counted.n, 1, 'count(*) comes back a number, as on SQLite');
  });

  it('records a batch of jobs all or none', async () => {
    const hub = await EventHub.open(db, { clock: new ManualClock(0) });
    const book = new JobBook(db, hub);
    const job = (id: string) => newJobRow({ id, direction: 'outgoing', submission_time: '2026-01-02T00:00:00.000Z' });
    await book.createAll([job('batch-1'), job('batch-2')]);
    await assert.rejects(book.createAll([job('batch-3'), job('batch-1')]));
    const ids = await db.selectFrom('jobs').select('id').where('id', 'like', 'batch-%').orderBy('id').execute();
    assert.deepEqual(
      ids.map((r) => r.id),
      ['batch-1', 'batch-2'],
      'the refused batch left no row',
    );
    await hub.flushed();
    const announced = await db.selectFrom('events').select('body').where('body', 'like', '%"batch-%').execute();
    assert.deepEqual(
      announced.map((event) => JSON.parse(event.body).jobId).sort(),
      ['batch-1', 'batch-1', 'batch-2', 'batch-2'],
      'added and changed for each job recorded; nothing of the refused batch',
    );
  });

  it('deletes an archived message once when two removals race, and notes its files once', async () => {
    const hub = await EventHub.open(db, { clock: new ManualClock(0) });
    const files = new DataFiles(dir);
    const archive = new Archive(db, hub, new JobBook(db, hub), files, new BroadcastDocuments(db, files));
    const removed: string[] = [];
    hub.subscribe(0xffff, (event) => {
      if (event.event === 'incomingMessageRemoved') removed.push(event.messageId);
    });
    await archive.addReceived({
      id: 'm1',
      job_id: 'm1',
      device_id: 2,
      tsid: 'T',
      csid: 'C',
      caller_id: '',
      routing_information: '',
      pages: 1,
      size: 100,
      received_at: '2026-01-02T00:00:00.000Z',
      transmission_start: '2026-01-02T00:00:00.000Z',
      transmission_end: '2026-01-02T00:00:01.000Z',
      bad_rows: 0,
      partial: 0,
    });
    const outcomes = await Promise.all([archive.remove('inbox', 'm1'), archive.remove('inbox', 'm1')]);
    assert.deepEqual(outcomes.sort(), [false, true]);
    assert.deepEqual(removed, ['m1']);
    assert.equal(await archive.inboxRow('m1'), undefined);
    assert.deepEqual(await db.selectFrom('file_removals').selectAll().execute(), [], 'its removals were finished');
  });

  it('keeps user names unique when two adds race, and counts keys as numbers', async () => {
    const users = new UserStore(db);
    const outcomes = await Promise.allSettled([users.add('ann', 1), users.add('ann', 1)]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.ok(refused.reason instanceof UserStoreError, String(refused.reason));
    await users.newKey('ann');
    await users.setRights('ann', 3);
    await users.add('Bob', 1, 'a long enough password');
    assert.deepEqual(
      (await users.list()).map(({ name, rights, keys, hasPassword }) => ({ name, rights, keys, hasPassword })),
      [
        { name: 'Bob', rights: 1, keys: 1, hasPassword: true },
        { name: 'ann', rights: 3, keys: 1, hasPassword: false },
      ],
      'names in byte order, as SQLite sorts them',
    );
    await users.remove('ann');
    assert.deepEqual(
      (await users.list()).map((user) => user.name),
      ['Bob'],
    );
    assert.equal((await db.selectFrom('api_keys').select('id').execute()).length, 1, 'only Bob’s key is left');
  });

  it('numbers events on from the log, replays them in order, and keeps the numbering across a prune', async () => {
    const store = await freshStore();
    try {
      const clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'));
      const hub = await EventHub.open(store, { clock });
      for (const jobId of ['a', 'b', 'c', 'd']) hub.publish({ event: 'outgoingJobAdded', jobId });
      await hub.prune({ keepDays: 0, keepCount: 2 });
      const replay = await hub.replay(0, OUT_QUEUE);
      assert.equal(replay.firstKept, 3);
      assert.deepEqual(
        replay.events.map(({ seq, event }) => [seq, 'jobId' in event ? event.jobId : '']),
        [
          [3, 'c'],
          [4, 'd'],
        ],
      );
      const reopened = await EventHub.open(store, { clock });
      reopened.publish({ event: 'outgoingJobAdded', jobId: 'e' });
      await reopened.flushed();
      assert.deepEqual(
        (await reopened.since(4, OUT_QUEUE)).map(({ seq }) => seq),
        [5],
      );
    } finally {
      await store.destroy();
    }
  });
});
