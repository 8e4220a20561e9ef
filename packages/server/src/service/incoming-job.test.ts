// An incoming job as a Windows fax client sees it (reference §4.2–4.3 "Inbound"): its Size grows as pages arrive, and
// cancelling it ends the call — the job ends fjsCANCELED, nothing is routed, and the sender is not told it arrived.
// The fax received whole comes over a sandbox pair (lines 1 and 2: the same events, no line time); the one cancelled
// mid-call over real-time loopback lines (3 and 4), so the cancel falls while its pages are still coming.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type FaxServerEvent, type FaxStatus } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { sandboxLinePairs } from '../testing/numbered-faxes.js';

const S = FAX_JOB_STATUS_ENUM;
type IncomingChanged = Extract<FaxServerEvent, { event: 'incomingJobChanged' }>;

describe('an incoming job', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  // Short pages: a few seconds each on the line.
  const pages = (count: number) => `${'A page of the incoming job test.\n'.repeat(8)}\f`.repeat(count);
  /** Submits `text` from port `line` to its partner and returns both jobs' ids once the reception has started. */
  const send = async (text: string, line: 1 | 3) => {
    const before = faxd.events.length;
    const documents = [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }];
    const body = { to: String(line + 1), line, retries: 0, documents };
    const { body: job } = await api('/v1/jobs', { method: 'POST', body });
    const incomingId = await waitFor('the reception to start', () => {
      const added = faxd.events.slice(before).find((e) => e.event === 'incomingJobAdded');
      return added && 'jobId' in added ? added.jobId : undefined;
    });
    return { outgoingId: job.jobId as string, incomingId };
  };
  const changes = (jobId: string) =>
    faxd.events.filter((e): e is IncomingChanged => e.event === 'incomingJobChanged' && e.jobId === jobId);
  const ended = (jobId: string) =>
    waitFor(`job ${jobId} to leave the queue`, () =>
      faxd.events.some((e) => e.event.endsWith('JobRemoved') && 'jobId' in e && e.jobId === jobId) ? true : undefined,
    );

  before(async () => {
    const loopback = { kind: 'loopback', tsid: '+1 555 0103', csid: '+1 555 0103' };
    const lines = [...sandboxLinePairs(1, 1), { ...loopback, id: 3 }, { ...loopback, id: 4, csid: '+1 555 0104' }];
    faxd = await startTestFaxd({ lines });
  });
  after(() => faxd.dispose());

  it('grows in Size page by page while it is received, before routing', async () => {
    const { incomingId } = await send(pages(2), 1);
    await ended(incomingId);
    const receiving = changes(incomingId)
      .map((e) => e.status)
      .filter((status) => status.status === S.fjsINPROGRESS);
    const sizes = [...new Set(receiving.map((status) => status.size))];
    assert.equal(sizes[0], 0, 'nothing is stored when the call is answered');
    assert.ok(sizes.length >= 3, `a size for each of the 2 stored pages: ${sizes}`);
    for (const [i, size] of sizes.entries()) if (i > 0) assert.ok(size > (sizes[i - 1] ?? 0), `sizes: ${sizes}`);
    const routed = changes(incomingId).at(-1)?.status;
    assert.equal(routed?.status, S.fjsCOMPLETED);
    assert.ok((routed?.size ?? 0) > 0);
  });

  it('ends the call when cancelled: fjsCANCELED, nothing routed, the sender not told it arrived', async () => {
    const inboxBefore = (await api('/v1/inbox')).body.length;
    const { outgoingId, incomingId } = await send(pages(6), 3);
    await waitFor('page 1 to be stored', () =>
      changes(incomingId).some((e) => e.status.size > 0 && e.status.status === S.fjsINPROGRESS) ? true : undefined,
    );
    const canceling = await api(`/v1/jobs/${incomingId}/cancel`, { method: 'POST' });
    assert.equal(canceling.status, 200);
    assert.equal(canceling.body.status, S.fjsCANCELING);
    await ended(incomingId);

    const incoming = (await api(`/v1/jobs/${incomingId}`)).body;
    assert.equal(incoming.status, S.fjsCANCELED);
    assert.ok(incoming.currentPage < 6, `the call ended at page ${incoming.currentPage} of 6`);
    assert.equal((await api('/v1/inbox')).body.length, inboxBefore, 'nothing reached the inbox');
    assert.ok(!changes(incomingId).some((e) => e.status.status === S.fjsROUTING), 'never routed');
    assert.equal(existsSync(join(faxd.dataDir, 'jobs', incomingId)), false, 'the received pages went with the job');
    assert.ok(!faxd.events.some((e) => e.event === 'incomingMessageAdded' && e.messageId === incomingId));

    const outgoing = await waitFor('the sending job to end', async () => {
      const job = (await api(`/v1/jobs/${outgoingId}`)).body;
      return job.status & (S.fjsINPROGRESS | S.fjsPENDING) ? undefined : job;
    });
    assert.notEqual(outgoing.status, S.fjsCOMPLETED, 'the sender does not count the fax as delivered');
    await waitFor('both ports to be available', async () => {
      const statuses = (await api('/v1/status')).body as FaxStatus[];
      return statuses.every((s) => s.description === 'Available') ? true : undefined;
    });
  });
});
