// The event log keeps going after a storage fault: one refused insert is reported, and the events after it are
// still stored, replayed to a reconnecting client, and delivered live.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEvent } from '@faxd/contract';
import { sql } from 'kysely';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { EventHub } from './event-hub.js';

const OUT_QUEUE = FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE;

const added = (jobId: string): FaxServerEvent => ({ event: 'outgoingJobAdded', jobId });

describe('EventHub', () => {
  let dir = '';
  let db: FaxdDb;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-event-hub-'));
    db = await openDatabase(join(dir, 'faxd.sqlite'));
    // A real refusal from SQLite, for one event only: the store rejects that row as a full disk or a lock would.
    await sql`CREATE TRIGGER refuse_one BEFORE INSERT ON events WHEN NEW.body LIKE '%"refused"%'
      BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`.execute(db);
  });
  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, replays and delivers the events after one whose insert failed', async () => {
    const faults: string[] = [];
    const hub = await EventHub.open(db, (what, error) => faults.push(`${what}: ${(error as Error).message}`));
    const live: { seq: number; jobId: string }[] = [];
    hub.subscribe(OUT_QUEUE, (event, seq) => {
      if (event.event === 'outgoingJobAdded') live.push({ seq, jobId: event.jobId });
    });

    for (const jobId of ['before', 'refused', 'after', 'later']) hub.publish(added(jobId));
    await hub.flushed();

    assert.deepEqual(faults, ['event 2 (outgoingJobAdded) was not stored: refused by test trigger']);
    const stored = await db.selectFrom('events').select(['seq', 'name']).orderBy('seq').execute();
    assert.deepEqual(
      stored.map((row) => row.seq),
      [1, 3, 4],
    );

    // A client reconnecting with Last-Event-ID 1 gets what was stored after it, in order.
    const replayed = await hub.since(1, OUT_QUEUE);
    assert.deepEqual(
      replayed.map(({ seq, event }) => ({ seq, jobId: event.event === 'outgoingJobAdded' ? event.jobId : '' })),
      [
        { seq: 3, jobId: 'after' },
        { seq: 4, jobId: 'later' },
      ],
    );

    // Events published after the fault are stored and delivered as well.
    hub.publish(added('next'));
    await hub.flushed();
    assert.deepEqual(
      (await hub.since(4, OUT_QUEUE)).map(({ seq }) => seq),
      [5],
    );
    assert.deepEqual(
      live.map(({ jobId }) => jobId),
      ['before', 'refused', 'after', 'later', 'next'],
    );

    // A restarted hub numbers on from the last stored event, never reusing a number a client has seen.
    const reopened = await EventHub.open(db);
    reopened.publish(added('restarted'));
    await reopened.flushed();
    assert.deepEqual(
      (await reopened.since(5, OUT_QUEUE)).map(({ seq }) => seq),
      [6],
    );
  });
});
