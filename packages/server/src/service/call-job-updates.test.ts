// A call's job updates on the real store: the steps of a window go in one statement, a confirmed page is written at
// once, and the call's end takes the steps still waiting into its own write; every status is announced in order.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type FaxServerEvent } from '@faxd/contract';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { newJobRow } from '../store/job-rows.js';
import { waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { openTestStore } from '../testing/test-store.js';
import { CallJobUpdates } from './call-job-updates.js';
import { EventHub } from './event-hub.js';
import { JobBook } from './job-book.js';

const S = FAX_JOB_STATUS_ENUM;

/** Counts the UPDATE statements run through the store it is plugged into. */
class UpdateCounter implements KyselyPlugin {
  updates = 0;
  transformQuery({ node }: PluginTransformQueryArgs) {
    if (node.kind === 'UpdateQueryNode') this.updates++;
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs) {
    return result;
  }
}

describe('a call’s job updates', () => {
  let root = '';
  let db: FaxdDb;
  let hub: EventHub;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'faxd-call-job-updates-'));
    db = await openTestStore(root);
    hub = await EventHub.open(db);
  });
  after(async () => {
    await hub?.close();
    await db?.destroy();
    await rm(root, { recursive: true, force: true });
  });

  /** A new reception's job in a store counting its updates, with the statuses announced for it. */
  async function reception(id: string) {
    const counter = new UpdateCounter();
    const book = new JobBook(db.withPlugin(counter), hub);
    await book.create(newJobRow({ id, direction: 'incoming', submission_time: new Date().toISOString() }));
    const statuses: number[] = [];
    hub.subscribe(-1 >>> 0, (event: FaxServerEvent) => {
      if (event.event === 'incomingJobChanged' && event.jobId === id) statuses.push(event.status.status);
    });
    const clock = new ManualClock();
    return { counter, book, statuses, clock, updates: new CallJobUpdates(book, id, { clock }) };
  }

  it('writes the steps waiting and the end in one statement, announcing each status in order', async () => {
    const { counter, updates, statuses } = await reception('updates-end');
    updates.add({ columns: { tsid: '+1 555 0100' } });
    updates.add({ event: { type: 'receiving', page: 1 }, columns: { pages: 1 } });
    updates.add({ columns: { size: 1234 } });
    const ended = await updates.finish([() => ({ event: { type: 'received', partial: false } })]);
    assert.equal(counter.updates, 1, 'the three steps and the end in one write');
    assert.equal(ended.tsid, '+1 555 0100');
    assert.equal(ended.pages, 1);
    assert.equal(ended.size, 1234);
    assert.equal(ended.status, S.fjsROUTING);
    // The job's creation, the far end's name, the page begun (each changes what FaxJobStatus says), then routing.
    await waitFor('every status announced', () => (statuses.length >= 4 ? true : undefined));
    assert.deepEqual(statuses, [S.fjsINPROGRESS, S.fjsINPROGRESS, S.fjsINPROGRESS, S.fjsROUTING]);
  });

  it('waits a window for company, but writes a step that must be at once with those before it', async () => {
    const { counter, updates, book, clock } = await reception('updates-now');
    updates.add({ columns: { tsid: 'far end' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(counter.updates, 0, 'the window has not passed on its clock');
    await updates.write({ columns: { csid: 'confirmed' } });
    assert.equal(counter.updates, 1, 'written by the time write() settles, with the step before it');
    const row = await book.get('updates-now');
    assert.equal(row.tsid, 'far end');
    assert.equal(row.csid, 'confirmed');
    updates.add({ columns: { size: 99 } });
    clock.advance(20);
    await waitFor('the window’s write', () => (counter.updates === 2 ? true : undefined));
    assert.equal((await book.get('updates-now')).size, 99);
  });
});
