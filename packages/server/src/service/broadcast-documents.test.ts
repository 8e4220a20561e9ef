// A broadcast's one stored fax over a real store and data directory: kept while any job of the broadcast is queued
// (one whose retries are spent included), linked into each job's directory as it leaves the queue, read the same
// before and after, and removed with the last queued job however the links and the release interleave.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import { newJobRow } from '../store/job-rows.js';
import { openTestStore } from '../testing/test-store.js';
import { BroadcastDocuments, readJobFax } from './broadcast-documents.js';
import { DataFiles, writeFileAtomic } from './data-files.js';

const S = FAX_JOB_STATUS_ENUM;
const FAX = new TextEncoder().encode('II*\0 a fax');

describe('a broadcast’s stored fax', () => {
  let root = '';
  let db: FaxdDb;
  let files: DataFiles;
  let documents: BroadcastDocuments;
  const setStatus = (id: string, status: number) =>
    db.updateTable('jobs').set({ status }).where('id', '=', id).execute();

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'faxd-broadcast-documents-'));
    db = await openTestStore(root);
    files = new DataFiles(root);
    documents = new BroadcastDocuments(db, files);
  });
  after(async () => {
    await db.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('stays while a job is queued, is linked for each job leaving, and goes with the last', async () => {
    await writeFileAtomic(files.broadcastFax('b1'), FAX);
    await writeFileAtomic(join(files.broadcastDirectory('b1'), 'original-1-note.txt'), FAX);
    const submission_time = '2026-12-06T00:00:00.000Z';
    const rows = ['a', 'b', 'c'].map((id, i) =>
      newJobRow({ id, direction: 'outgoing', submission_time, broadcast_id: 'b1', broadcast_index: i }),
    );
    await db.insertInto('jobs').values(rows).execute();
    assert.deepEqual(await readJobFax(files, rows[0]), FAX, 'read from the broadcast while queued');

    await setStatus('a', S.fjsCANCELED);
    await documents.linkForArchive('b1', 'a');
    await documents.release('b1');
    assert.ok(existsSync(files.broadcastFax('b1')), 'b and c are queued');
    const [shared, linked] = [await stat(files.broadcastFax('b1')), await stat(files.jobFax('a'))];
    assert.equal(linked.ino, shared.ino, 'a link, not a copy');
    assert.deepEqual((await readdir(files.jobDirectory('a'))).sort(), ['fax.tif', 'original-1-note.txt']);

    // Retries spent: the job may still be restarted, so it is still queued.
    await setStatus('b', S.fjsRETRIES_EXCEEDED);
    await setStatus('c', S.fjsCOMPLETED);
    await documents.release('b1');
    assert.ok(existsSync(files.broadcastFax('b1')), 'b may be restarted');

    // b is deleted; the release links every job that has left before the files go, so c, whose own link comes after
    // the release, finds it there.
    await setStatus('b', S.fjsCANCELED);
    await documents.release('b1');
    assert.equal(existsSync(files.broadcastDirectory('b1')), false);
    await documents.linkForArchive('b1', 'c');
    for (const id of ['a', 'b', 'c']) {
      assert.equal((await stat(files.jobFax(id))).ino, shared.ino, id);
      assert.deepEqual(
        await readJobFax(files, { id, broadcast_id: 'b1', submission_time: '2026-01-01T00:00:00.000Z' }),
        FAX,
        `${id} reads its own link`,
      );
    }
    assert.equal((await stat(files.jobFax('a'))).nlink, 3);
  });

  it('at start removes a directory no job refers to and keeps one with a job queued', async () => {
    await writeFileAtomic(files.broadcastFax('orphan'), FAX);
    await writeFileAtomic(files.broadcastFax('b2'), FAX);
    const row = newJobRow({ id: 'd', direction: 'outgoing', submission_time: '2026-12-06T00:00:00.000Z' });
    await db
      .insertInto('jobs')
      .values({ ...row, broadcast_id: 'b2', broadcast_index: 0 })
      .execute();
    await documents.sweep();
    assert.deepEqual(await readdir(files.broadcastsDirectory), ['b2']);
  });
});
