// Broadcasts through the whole server: three recipients whose numbers all reach the partner of a sandbox line (the
// real T.30 engine on a virtual clock, no line time) each get the document, converted once, pixel for pixel; a
// broadcast canceled while its first job is on a real-time loopback line leaves that job to the rules of a job's
// cancel and cancels the others.
import assert from 'node:assert/strict';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { readTiff, samePixels } from '@faxd/protocol';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { sandboxLinePairs } from '../testing/numbered-faxes.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;
/** Line 1 of a sandbox pair (1 and 2), and line 3 of a pair of loopback lines (3 and 4). */
const SANDBOX = 1;
const LOOPBACK = 3;

function textDocument(text: string) {
  return [{ name: 'notice.txt', contentBase64: Buffer.from(text).toString('base64') }];
}

/**
 * The stored faxes of submissions under the data directory, as paths relative to it. A directory faxd removes while
 * it is walked ends the walk with ENOENT: the walk starts again (a few times: the data directory itself stays).
 */
async function storedFaxes(dataDir: string): Promise<string[]> {
  let entries: Dirent[] | undefined;
  for (let walk = 1; entries === undefined; walk++) {
    entries = await readdir(dataDir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && walk < 5) return undefined;
      throw error;
    });
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name === 'fax.tif')
    .map((entry) => join(entry.parentPath, entry.name).slice(dataDir.length + 1))
    .sort();
}

describe('a broadcast over a sandbox pair and over loopback lines', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  const setPaused = (paused: boolean) => api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: paused } });

  before(async () => {
    // No header line: what arrives is then the document itself, pixel for pixel.
    const loopback = { kind: 'loopback', tsid: '+1 555 0103', csid: '+1 555 0103' };
    const lines = [...sandboxLinePairs(1, 1), { ...loopback, id: 3 }, { ...loopback, id: 4, tsid: '+1 555 0104' }];
    faxd = await startTestFaxd({ outboundQueue: { headerTemplate: '', retries: 0 }, lines });
  });
  after(() => faxd.dispose());

  it('sends the document, converted once, to three recipients, each receiving it pixel for pixel', async () => {
    await setPaused(true);
    const recipients = [{ number: '1', name: 'Ann' }, { number: '2' }, { number: '3', name: 'Cy' }];
    const text = 'A recall notice.\n\nPlease return every unit of lot 42.\n';
    const body = { recipients, line: SANDBOX, documents: textDocument(text) };
    const submitted = await api('/v1/jobs', { method: 'POST', body });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const { broadcastId, jobIds } = submitted.body as { broadcastId: string; jobIds: string[] };

    // Converted once: one fax on disk for the three jobs while they are queued.
    const shared = `broadcasts/${broadcastId}/fax.tif`;
    assert.deepEqual(await storedFaxes(faxd.dataDir), [shared]);
    const document = readTiff(new Uint8Array(await readFile(join(faxd.dataDir, shared)))).map(({ page }) => page);
    assert.equal(document.length, 1);

    await setPaused(false);
    const ended = await waitFor('the three jobs to end', async () => {
      const broadcast = (await api(`/v1/broadcasts/${broadcastId}`)).body;
      return broadcast.recipients.every((r: JsonBody) => isFinal(r.status)) ? broadcast : undefined;
    });
    assert.deepEqual(ended.counts, { queued: 0, inProgress: 0, completed: 3, failed: 0, canceled: 0 });
    assert.deepEqual(
      ended.recipients.map((r: JsonBody) => [r.jobId, r.number, r.name, r.status]),
      [
        [jobIds[0], '1', 'Ann', S.fjsCOMPLETED],
        [jobIds[1], '2', null, S.fjsCOMPLETED],
        [jobIds[2], '3', 'Cy', S.fjsCOMPLETED],
      ],
    );
    for (const jobId of jobIds) {
      // The end is recorded first and the job archived after: its message id and its removal come with the archiving.
      const events = () => faxd.events.filter((e) => 'jobId' in e && e.jobId === jobId).map((e) => e.event);
      const job = await waitFor(`job ${jobId} to be archived`, async () => {
        const current = (await api(`/v1/jobs/${jobId}`)).body;
        return current.messageId !== null && events().at(-1) === 'outgoingJobRemoved' ? current : undefined;
      });
      assert.equal(job.extendedStatusCode, X.fjesCALL_COMPLETED);
      assert.equal(job.messageId, jobId);
      assert.equal(events()[0], 'outgoingJobAdded');
    }

    // The broadcast's fax went with its last job; each archived message links that one file.
    await waitFor('the broadcast’s fax to go', async () =>
      (await storedFaxes(faxd.dataDir)).includes(shared) ? undefined : true,
    );
    const archived = await storedFaxes(faxd.dataDir);
    assert.deepEqual(archived, jobIds.map((jobId) => `jobs/${jobId}/fax.tif`).sort());
    const inodes = await Promise.all(archived.map(async (path) => stat(join(faxd.dataDir, path))));
    assert.equal(new Set(inodes.map((info) => info.ino)).size, 1, 'one file on disk');
    assert.ok(inodes.every((info) => info.nlink === 3));

    // Three faxes arrived on the partner port, each the document pixel for pixel.
    // The sender's job ends on the last MCF; the receiving port archives its fax after that.
    const inbox = await waitFor('three faxes in the inbox', async () => {
      const messages = (await api('/v1/inbox')).body as JsonBody[];
      return messages.length >= 3 ? messages : undefined;
    });
    assert.equal(inbox.length, 3);
    for (const message of inbox) {
      const tiff = await fetch(`${faxd.url}/v1/inbox/${message.id}/document.tif`);
      const pages = readTiff(new Uint8Array(await tiff.arrayBuffer())).map(({ page }) => page);
      assert.equal(pages.length, document.length);
      for (const [i, page] of pages.entries()) assert.ok(samePixels(page, document[i]), `${message.id} page ${i + 1}`);
    }
  });

  it('cancels a broadcast while its first job transmits: that job by the cancel rules, the others canceled', async () => {
    const pages = `${'A page to cancel.\n'.repeat(40)}\f`.repeat(4);
    const recipients = [{ number: '11' }, { number: '12' }, { number: '13' }];
    // In real time, so the first job is still on the line when the cancel comes.
    const body = { recipients, line: LOOPBACK, documents: textDocument(pages) };
    const submitted = await api('/v1/jobs', { method: 'POST', body });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const { broadcastId, jobIds } = submitted.body as { broadcastId: string; jobIds: string[] };
    const transmitting = await waitFor('a job to send page 1', async () => {
      const jobs = (await api(`/v1/jobs?broadcast=${broadcastId}`)).body as JsonBody[];
      return jobs.find((job) => job.currentPage >= 1)?.jobId as string | undefined;
    });

    const canceling = await api(`/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST' });
    assert.equal(canceling.status, 200);
    const statuses = new Map(canceling.body.recipients.map((r: JsonBody) => [r.jobId, r.status]));
    assert.equal(statuses.get(transmitting), S.fjsCANCELING, 'the job on the line is canceling');
    for (const jobId of jobIds.filter((id) => id !== transmitting)) assert.equal(statuses.get(jobId), S.fjsCANCELED);
    assert.deepEqual(canceling.body.counts, { queued: 0, inProgress: 1, completed: 0, failed: 0, canceled: 2 });

    const ended = await waitFor('the call to hang up', async () => {
      const job = (await api(`/v1/jobs/${transmitting}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    // As a job canceled alone mid-send (loopback-fax.test.ts): canceled, the call aborted.
    assert.equal(ended.status, S.fjsCANCELED);
    assert.equal(ended.extendedStatusCode, X.fjesCALL_ABORTED);
    const broadcast = (await api(`/v1/broadcasts/${broadcastId}`)).body;
    assert.deepEqual(broadcast.counts, { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 3 });
    for (const jobId of jobIds.filter((id) => id !== transmitting)) {
      const job = (await api(`/v1/jobs/${jobId}`)).body;
      assert.equal(job.transmissionStart, null, `${jobId} never dialed`);
    }
    await waitFor('the broadcast’s fax to go', async () =>
      (await storedFaxes(faxd.dataDir)).includes(`broadcasts/${broadcastId}/fax.tif`) ? undefined : true,
    );
  });
});
