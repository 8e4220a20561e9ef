// The outbound queue on two loopback circuits: priority first, never two calls to one number at once, a scheduled
// job waits for its time and then for a line (fjsNOLINE), a paused queue starts nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type FaxServerEvent, isFinal } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

const S = FAX_JOB_STATUS_ENUM;
const PAGES = Buffer.from(`${'A line of text to send.\n'.repeat(60)}\f`.repeat(6)).toString('base64');

describe('the outbound queue', () => {
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
    faxd = await startTestFaxd({ lines: [1, 2, 3, 4].map(loopback) });
  });
  after(() => faxd.dispose());

  it('dispatches by priority, one call per number, and holds a scheduled job until its time', async () => {
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const low = await submit('555', { priority: 'low' });
    const high = await submit('777', { priority: 'high' });
    const normal = await submit('555', { priority: 'normal' });
    const later = await submit('999', { scheduledAt: new Date(Date.now() + 4000).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 300));
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

    await waitFor(
      'the scheduled job to find no line',
      async () => ((await status(later)) === (S.fjsPENDING | S.fjsNOLINE) ? true : undefined),
      10_000,
    );
    for (const jobId of [low, high, normal, later]) await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    await waitFor('every job to end', async () => {
      const all = await Promise.all([low, high, normal, later].map(status));
      return all.every(isFinal) ? all : undefined;
    });
  });
});
