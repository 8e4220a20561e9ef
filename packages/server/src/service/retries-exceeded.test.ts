// A job whose retries are spent (fjsRETRIES_EXCEEDED) stays in the outgoing queue, restartable and deletable, as
// Windows keeps it (reference §4.1): it is neither announced as removed nor archived until it really leaves the
// queue, and then it is archived once, as a message with the job's own id. A restart clears what the attempts before
// it left on the job.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_OPERATIONS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { openTestStore } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;
const O = FAX_JOB_OPERATIONS_ENUM;
const DAY_MS = 86400_000;

/** The names of `faxd`'s events about `id` (a job id, or a message id), in order. */
function eventsAbout(faxd: TestFaxd, id: string): string[] {
  return faxd.events
    .filter((e) => ('jobId' in e && e.jobId === id) || ('messageId' in e && e.messageId === id))
    .map((e) => e.event);
}

describe('a job past its age limit', () => {
  const servers: TestFaxd[] = [];
  after(() => Promise.all(servers.map((server) => server.dispose())));

  it('stays queued in fjsRETRIES_EXCEEDED until restarted, then ends with one message under its own id', async () => {
    const clock = new ManualClock();
    const faxd = await startTestFaxd({ outboundQueue: { ageLimitDays: 1 } }, undefined, { clock });
    servers.push(faxd);
    const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const jobId = await submitText(faxd.url, 'One page.\n', '2');
    clock.advance(DAY_MS + 1);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    await faxd.service.queueSettled();

    const spent = (await api(`/v1/jobs/${jobId}`)).body;
    assert.equal(spent.status, S.fjsRETRIES_EXCEEDED);
    assert.equal(spent.messageId, null, 'not archived');
    assert.equal(spent.availableOperations & O.fjoRESTART, O.fjoRESTART);
    const queued = (await api('/v1/jobs?direction=outgoing')).body as { jobId: string }[];
    assert.deepEqual(
      queued.map((job) => job.jobId),
      [jobId],
      'still in the queue',
    );
    assert.deepEqual((await api('/v1/outbox')).body, [], 'the outgoing archive is empty');
    assert.deepEqual(eventsAbout(faxd, jobId), ['outgoingJobAdded', 'outgoingJobChanged', 'outgoingJobChanged']);

    const seen = faxd.events.length;
    const restarted = await api(`/v1/jobs/${jobId}/restart`, { method: 'POST' });
    assert.equal(restarted.status, 200);
    assert.equal(restarted.body.status & ~(S.fjsNOLINE | S.fjsPAUSED), S.fjsPENDING);
    assert.ok(Date.parse(restarted.body.scheduledTime) === clock.now(), 'due now');
    // The job's end is recorded first and its archiving after: both are waited for.
    const done = await waitFor('the restarted job to end and be archived', async () => {
      const job = (await api(`/v1/jobs/${jobId}`)).body;
      return isFinal(job.status) && job.messageId !== null ? job : undefined;
    });
    assert.equal(done.status, S.fjsCOMPLETED, 'a restart counts the age limit afresh');
    assert.equal(done.messageId, jobId);
    const afterRestart = faxd.events.slice(seen).filter((e) => 'jobId' in e && e.jobId === jobId);
    assert.equal(afterRestart[0]?.event, 'outgoingJobChanged', 'the restart is a change of a queued job');
    assert.equal(eventsAbout(faxd, jobId).filter((name) => name === 'outgoingJobRemoved').length, 1);
    assert.deepEqual(eventsAbout(faxd, jobId).slice(-2), ['outgoingJobRemoved', 'outgoingMessageAdded']);

    const outbox = (await api('/v1/outbox')).body as { id: string; jobId: string; status: number }[];
    assert.deepEqual(
      outbox.map(({ id, jobId: job, status }) => ({ id, job, status })),
      [{ id: jobId, job: jobId, status: S.fjsCOMPLETED }],
    );
    assert.equal((await api(`/v1/outbox/${jobId}`)).status, 200);
  });
});

describe('a restart', () => {
  let dataDir = '';
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('clears the last attempt from the pending job, and a delete archives it once, canceled', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-restart-'));
    const first = await startTestFaxd({}, dataDir);
    await requestJson(first.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const jobId = await submitText(first.url, 'One page.\n');
    await first.close();

    // What three failed attempts leave on a job (as a run of faxd records them), written straight to the store.
    const db = await openTestStore(dataDir);
    await db
      .updateTable('jobs')
      .set({
        status: S.fjsRETRIES_EXCEEDED,
        extended_status: X.fjesBUSY,
        retries: 3,
        current_page: 1,
        device_id: 1,
        csid: 'LAST REMOTE',
        transmission_start: '2026-01-01T10:00:00.000Z',
        transmission_end: '2026-01-01T10:01:00.000Z',
        last_error: 'busy',
        confirmed_pages: 0,
      })
      .where('id', '=', jobId)
      .execute();
    await db.destroy();

    const faxd = await startTestFaxd({}, dataDir);
    try {
      const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
      const { body: pending } = await api(`/v1/jobs/${jobId}/restart`, { method: 'POST' });
      assert.equal(pending.status & ~S.fjsNOLINE, S.fjsPENDING);
      assert.equal(pending.extendedStatusCode, X.fjesNONE);
      assert.equal(pending.retries, 0, 'a fresh retry budget');
      assert.equal(pending.currentPage, 0);
      assert.equal(pending.transmissionStart, null);
      assert.equal(pending.transmissionEnd, null);
      assert.equal(pending.deviceId, null);
      assert.equal(pending.csid, '');
      assert.equal(pending.lastError, '');

      // Back in the paused queue: a delete ends it, and only now does it leave the queue for the archive.
      const canceled = (await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' })).body;
      assert.equal(canceled.status, S.fjsCANCELED);
      assert.deepEqual(eventsAbout(faxd, jobId).slice(-3), [
        'outgoingJobChanged',
        'outgoingJobRemoved',
        'outgoingMessageAdded',
      ]);
      const outbox = (await api('/v1/outbox')).body as { id: string; status: number }[];
      assert.deepEqual(
        outbox.map(({ id, status }) => ({ id, status })),
        [{ id: jobId, status: S.fjsCANCELED }],
      );
      assert.deepEqual((await api('/v1/jobs?direction=outgoing')).body, [], 'the queue is empty');
    } finally {
      await faxd.close();
    }
  });
});
