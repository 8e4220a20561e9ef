// Jobs whose end a full store refused are settled once it takes them, tried every 10 s on the service's clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type JobEvent } from '@faxd/contract';
import { type JobRow, newJobRow } from '../store/job-rows.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { Archive } from './archive.js';
import { type JobBook, JobNotFoundError } from './job-book.js';
import type { RecoveryContext } from './recovery.js';
import { UnrecordedEnds } from './unrecorded-ends.js';

const S = FAX_JOB_STATUS_ENUM;

function storeFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

/** An UnrecordedEnds over `rows`, with a store that refuses every write while `store.full`. */
function setUp(rows: JobRow[]) {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  const store = { full: true, applied: [] as { id: string; event: JobEvent }[], archived: [] as string[], settled: 0 };
  const book = {
    get: async (id: string) => {
      const row = rows.find((candidate) => candidate.id === id);
      if (!row) throw new JobNotFoundError(id);
      return row;
    },
    apply: async (id: string, event: JobEvent) => {
      if (store.full) throw storeFull();
      store.applied.push({ id, event });
      return { ...rows.find((row) => row.id === id), status: S.fjsRETRYING };
    },
    removed: () => {},
  } as unknown as JobBook;
  const archive = {
    settle: async (row: JobRow) => {
      if (store.full) throw storeFull();
      store.archived.push(row.id);
    },
  } as unknown as Archive;
  // Outbound jobs only: a reception's routing (files, webhooks, lines) is not reached.
  const recovery = { book, archive } as unknown as RecoveryContext;
  const ends = new UnrecordedEnds({ recovery, clock, onSettled: () => store.settled++ });
  /** Advances the clock and lets the settling run. */
  const after = async (ms: number) => {
    clock.advance(ms);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, store, ends, after };
}

/** The claim this node's attempt held on the jobs below. */
const CLAIM = { node: 'node-a', epoch: 2 };

function outgoing(id: string, status: number): JobRow {
  return {
    ...newJobRow({ id, direction: 'outgoing', submission_time: '2026-01-05T11:00:00.000Z' }),
    status,
    max_retries: 3,
    claim_node: CLAIM.node,
    claim_epoch: CLAIM.epoch,
  };
}

describe('UnrecordedEnds', () => {
  it('settles an interrupted attempt once the store takes it, trying again every 10 s', async () => {
    const { clock, store, ends, after } = setUp([outgoing('a', S.fjsINPROGRESS)]);
    ends.add('a', CLAIM);
    await after(10_000);
    assert.equal(store.applied.length, 0, 'the store is still full');
    store.full = false;
    await after(9_999);
    assert.equal(store.applied.length, 0);
    await after(1);
    assert.equal(store.applied.length, 1);
    assert.equal(store.applied[0]?.event.type, 'retryScheduled');
    assert.equal(store.settled, 1, 'the queue is told');
    assert.equal(clock.waiting, 0, 'nothing left to try');
  });

  it('archives a job that ended but that the outbox did not take', async () => {
    const { store, ends, after } = setUp([outgoing('b', S.fjsCOMPLETED)]);
    store.full = false;
    ends.add('b', CLAIM);
    await after(10_000);
    assert.deepEqual(store.archived, ['b']);
    assert.equal(store.applied.length, 0);
  });

  it('forgets a job the store never recorded, and stops when closed', async () => {
    const { clock, store, ends, after } = setUp([outgoing('c', S.fjsINPROGRESS)]);
    ends.add('never-created', CLAIM);
    await after(10_000);
    assert.equal(clock.waiting, 0);
    assert.equal(store.settled, 0);
    ends.add('c', CLAIM);
    ends.close();
    assert.equal(clock.waiting, 0);
  });

  it('leaves a job another node took over meanwhile to that node', async () => {
    const takenOver = { ...outgoing('d', S.fjsINPROGRESS), claim_node: 'node-b', claim_epoch: CLAIM.epoch + 1 };
    const { clock, store, ends, after } = setUp([takenOver]);
    store.full = false;
    ends.add('d', CLAIM);
    await after(10_000);
    assert.equal(store.applied.length, 0, 'not settled by the node whose claim lapsed');
    assert.equal(store.settled, 0);
    assert.equal(clock.waiting, 0, 'and not tried again');
  });
});
