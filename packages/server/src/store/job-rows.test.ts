// newJobRow: the one builder of a new job's row, outgoing or incoming, with its initial state and empty defaults.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM as S, FAX_JOB_TYPE_ENUM as T, FAX_JOB_EXTENDED_STATUS_ENUM as X } from '@faxd/contract';
import { openTestStore } from '../testing/test-store.js';
import { findJob, jobStatusOf, newJobRow } from './job-rows.js';

describe('newJobRow', () => {
  let dir = '';
  after(() => rm(dir, { recursive: true, force: true }));

  it('starts an outgoing job pending as fjtSEND and an incoming one answered as fjtRECEIVE', () => {
    const sent = newJobRow({ id: 'out', direction: 'outgoing', submission_time: '2026-01-02T03:04:05.000Z' });
    assert.deepEqual(
      [sent.job_type, sent.status, sent.extended_status, sent.retries, sent.current_page],
      [T.fjtSEND, S.fjsPENDING, X.fjesNONE, 0, 0],
    );
    const received = newJobRow({ id: 'in', direction: 'incoming', submission_time: '2026-01-02T03:04:05.000Z' });
    assert.deepEqual(
      [received.job_type, received.status, received.extended_status, received.retries, received.current_page],
      [T.fjtRECEIVE, S.fjsINPROGRESS, X.fjesANSWERED, 0, 0],
    );
  });

  it('keeps the columns given, defaults the rest, and makes a row the store accepts', async () => {
    const row = newJobRow({
      id: 'job1',
      direction: 'incoming',
      submission_time: '2026-01-02T03:04:05.000Z',
      device_id: 2,
      caller_id: '+1 555 0199',
      transmission_start: '2026-01-02T03:04:05.000Z',
    });
    assert.equal(row.device_id, 2);
    assert.equal(row.caller_id, '+1 555 0199');
    assert.equal(row.recipient_number, '');
    assert.equal(row.scheduled_time, null);
    assert.equal(row.message_id, null);
    assert.equal(row.confirmed_pages, 0);

    dir = await mkdtemp(join(tmpdir(), 'faxd-job-rows-'));
    const db = await openTestStore(dir);
    try {
      await db.insertInto('jobs').values(row).execute();
      const stored = await findJob(db, 'job1');
      assert.deepEqual(stored, row);
      assert.equal(jobStatusOf(row).transmissionStart, '2026-01-02T03:04:05.000Z');
    } finally {
      await db.destroy();
    }
  });
});
