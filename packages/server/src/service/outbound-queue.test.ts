// The outbound queue on two loopback circuits: priority first, never two calls to one number at once, a scheduled
// job waits for its time and then for a line (fjsNOLINE), a paused queue starts nothing; the discount window and the
// age limit. The queue runs on a manual clock: the calls are real, the calendar is the test's.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  type FaxServerEvent,
  isFinal,
} from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { allowWrites, refuseWrites } from '../testing/refused-writes.js';
import { openTestStore } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const REFUSED_EXPIRY = {
  name: 'refuse_expiry',
  table: 'jobs',
  operation: 'update',
  message: 'the disk is full',
  when: "NEW.last_error = 'age-limit'",
} as const;
const PAGES = Buffer.from(`${'A line of text to send.\n'.repeat(60)}\f`.repeat(6)).toString('base64');

describe('the outbound queue', () => {
  const clock = new ManualClock();
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  const submit = async (to: string, extra: Record<string, unknown>) =>
    (
      await api('/v1/jobs', {
        method: 'POST',
        body: { to, documents: [{ name: 'doc.txt', contentBase64: PAGES }], ...extra },
      })
    ).body.jobId as string;
  const status = async (jobId: string) => (await api(`/v1/jobs/${jobId}`)).body.status as number;

  before(async () => {
    const loopback = (id: number) => ({ id, kind: 'loopback', receive: id % 2 === 0 });
    faxd = await startTestFaxd({ lines: [1, 2, 3, 4].map(loopback) }, undefined, { clock });
  });
  after(() => faxd.dispose());

  it('dispatches by priority, one call per number, and holds a scheduled job until its time', async () => {
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const low = await submit('555', { priority: 'low' });
    const high = await submit('777', { priority: 'high' });
    const normal = await submit('555', { priority: 'normal' });
    const later = await submit('999', { scheduledAt: new Date(clock.now() + 4000).toISOString() });
    await faxd.service.queueSettled();
    assert.deepEqual(await Promise.all([low, high, normal].map(status)), [S.fjsPENDING, S.fjsPENDING, S.fjsPENDING]);

    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    await waitFor(
      'two calls to start',
      async () => ((await status(normal)) === S.fjsINPROGRESS ? true : undefined),
      20_000,
    );
    const started = faxd.events
      .filter((e): e is Extract<FaxServerEvent, { event: 'outgoingJobChanged' }> => e.event === 'outgoingJobChanged')
      .filter((e) => e.status.status === S.fjsINPROGRESS)
      .map((e) => e.jobId);
    assert.deepEqual([...new Set(started)], [high, normal], 'high priority first, then normal; low waits');
    assert.equal(await status(high), S.fjsINPROGRESS);
    assert.equal(await status(low), S.fjsPENDING, 'the same number is already being called');
    assert.equal(await status(later), S.fjsPENDING);
    const lines = new Set([
      (await api(`/v1/jobs/${high}`)).body.deviceId,
      (await api(`/v1/jobs/${normal}`)).body.deviceId,
    ]);
    assert.deepEqual([...lines].sort(), [1, 3], 'one call on each circuit, from the line that sends');

    clock.advance(3999);
    await faxd.service.queueSettled();
    assert.equal(await status(later), S.fjsPENDING, 'not yet its time');
    clock.advance(1);
    await faxd.service.queueSettled();
    assert.equal(await status(later), S.fjsPENDING | S.fjsNOLINE, 'its time, but both circuits are busy');
    for (const jobId of [low, high, normal, later]) await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    await waitFor('every job to end', async () => {
      const all = await Promise.all([low, high, normal, later].map(status));
      return all.every(isFinal) ? all : undefined;
    });
  });

  it('compares numbers as dialed: one number written two ways is not called twice at once', async () => {
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const first = await submit('555-0100', {});
    const again = await submit('555 0100', {});
    const other = await submit('777', {});
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    // Both circuits busy: the other number, and one of the two ways of writing the first.
    await waitFor(
      'the other number and the first number to be called',
      async () => {
        const [one, two, three] = await Promise.all([first, again, other].map(status));
        return three === S.fjsINPROGRESS && (one === S.fjsINPROGRESS || two === S.fjsINPROGRESS) ? true : undefined;
      },
      20_000,
    );
    // Submitted at the same instant of the test's clock, either of the two may go first; never both at once.
    const calls = [baseJobStatus(await status(first)), baseJobStatus(await status(again))].sort((x, y) => x - y);
    assert.deepEqual(calls, [S.fjsPENDING, S.fjsINPROGRESS], 'the same number is already being called');
    for (const jobId of [first, again, other]) await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    await waitFor('every job to end', async () => {
      const all = await Promise.all([first, again, other].map(status));
      return all.every(isFinal) ? all : undefined;
    });
  });
});

describe('the discount window and the age limit', () => {
  const loopbackPair = [1, 2].map((id) => ({ id, kind: 'loopback', receive: id === 2 }));
  const note = [{ name: 'note.txt', contentBase64: Buffer.from('One page.\n').toString('base64') }];
  const servers: TestFaxd[] = [];
  after(() => Promise.all(servers.map((server) => server.dispose())));

  const start = async (outboundQueue: Record<string, unknown>, clock: ManualClock) => {
    const faxd = await startTestFaxd({ outboundQueue, lines: loopbackPair }, undefined, { clock });
    servers.push(faxd);
    const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
    const submit = async (extra: Record<string, unknown> = {}) =>
      (await api('/v1/jobs', { method: 'POST', body: { to: '555', documents: note, ...extra } })).body;
    const job = async (jobId: string) => (await api(`/v1/jobs/${jobId}`)).body;
    const dialled = (jobId: string) =>
      faxd.events.some(
        (e) => e.event === 'outgoingJobChanged' && e.jobId === jobId && e.status.status === S.fjsINPROGRESS,
      );
    return { faxd, api, submit, job, dialled };
  };

  it('holds a job sent at the discount rate until the window opens, then dials it', async () => {
    const today = new Date();
    const at = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), hours).getTime();
    const clock = new ManualClock(at(12));
    const { faxd, submit, job, dialled } = await start({ discountStart: '20:00', discountEnd: '07:00' }, clock);
    const { jobId, scheduledTime } = await submit({ scheduledAt: 'discount' });
    assert.equal(Date.parse(scheduledTime), at(20), 'the window opens at 20:00 local time');
    clock.advanceTo(at(20) - 1);
    await faxd.service.queueSettled();
    assert.equal((await job(jobId)).status, S.fjsPENDING);
    assert.equal(dialled(jobId), false, 'nothing dialled before the window');
    clock.advance(1);
    await faxd.service.queueSettled();
    await waitFor('the job to be dialled', () => (dialled(jobId) ? true : undefined), 20_000);
  });

  it('ends a job not sent within its age limit in fjsRETRIES_EXCEEDED, without a call', async () => {
    const clock = new ManualClock();
    const { faxd, api, submit, job, dialled } = await start({ ageLimitDays: 1 }, clock);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const { jobId } = await submit();
    clock.advance(86_400_000);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    await faxd.service.queueSettled();
    const ended = await job(jobId);
    assert.equal(ended.status, S.fjsRETRIES_EXCEEDED);
    assert.equal(ended.lastError, 'age-limit');
    assert.equal(dialled(jobId), false);
  });

  it('ends a job past its age limit while the queue stays paused, leaving the others queued', async () => {
    // A paused queue's pass reads only the jobs with an age limit; the expiry must still happen on the next kick.
    const clock = new ManualClock();
    const { faxd, api, submit, job, dialled } = await start({ ageLimitDays: 1 }, clock);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const { jobId: old } = await submit();
    clock.advance(86_400_000);
    const { jobId: fresh } = await submit();
    await faxd.service.queueSettled();
    assert.equal((await job(old)).status, S.fjsRETRIES_EXCEEDED);
    assert.equal((await job(fresh)).status, S.fjsPENDING);
    assert.equal(dialled(old) || dialled(fresh), false);
  });

  it('logs a pass the store refuses and looks again later', async () => {
    const clock = new ManualClock();
    const { faxd, api, submit, job } = await start({ ageLimitDays: 1 }, clock);
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const { jobId } = await submit();
    // The pass the submission kicked has ended: one still reading when the clock jumps would go again at the new time
    // and end the job before the store refuses anything.
    await faxd.service.queueSettled();
    clock.advance(86_400_000);
    // A second connection to the store makes it refuse the expiry, as a full disk would.
    const db = await openTestStore(faxd.dataDir);
    const stderr = mock.method(process.stderr, 'write', () => true);
    try {
      await refuseWrites(db, REFUSED_EXPIRY);
      await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
      await faxd.service.queueSettled();
      const logged = stderr.mock.calls
        .map((call) => String(call.arguments[0]))
        .filter((line) => line.startsWith('faxd:'));
      assert.deepEqual(logged, ['faxd: the outbound queue could not dispatch: the disk is full\n']);
      assert.equal((await job(jobId)).status, S.fjsPENDING, 'the refused change left the job as it was');
      await allowWrites(db, REFUSED_EXPIRY);
    } finally {
      stderr.mock.restore();
      await db.destroy();
    }
    clock.advance(10_000);
    await faxd.service.queueSettled();
    assert.equal((await job(jobId)).status, S.fjsRETRIES_EXCEEDED, 'the next look ended it');
  });
});

describe('closing the server during a call', () => {
  let dataDir = '';
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('waits for the call to end and leaves its job stored for a retry', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-close-'));
    const lines = [1, 2].map((id) => ({ id, kind: 'loopback', receive: id === 2 }));
    const faxd = await startTestFaxd({ lines }, dataDir, { clock: new ManualClock() });
    const body = { to: '555', documents: [{ name: 'doc.txt', contentBase64: PAGES }] };
    const { jobId } = (await requestJson(faxd.url, '/v1/jobs', { method: 'POST', body })).body;
    // On the line, not only dispatched: an attempt closed before it dials leaves its job to the next start's recovery.
    await waitFor('the call to be sending its first page', async () => {
      const job = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
      return job.status === S.fjsINPROGRESS && job.currentPage >= 1 ? true : undefined;
    });
    await faxd.close();

    const db = await openTestStore(dataDir);
    try {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
      assert.equal(row.status, S.fjsRETRYING, 'the cut attempt was stored before close resolved');
      assert.equal(row.extended_status, FAX_JOB_EXTENDED_STATUS_ENUM.fjesCALL_ABORTED);
      assert.equal(row.retries, 1);
    } finally {
      await db.destroy();
    }
  });
});
