// faxd killed with SIGKILL in the middle of sending, then started again on the same data directory: the job is retried
// (counted as a retry) and completes, and the far end ends up with exactly one complete copy.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { freeUdpPort } from '../testing/free-udp-port.js';

/**
 * Six pages, killed on page 2: the job's row follows the call a little behind (more so on a loaded machine), and the
 * kill must still fall before the last page is confirmed, or recovery rightly counts the job complete.
 */
const PAGES = 6;
const TEXT = Array.from({ length: PAGES }, (_, i) => `Page ${i + 1}.\n${'Some text.\n'.repeat(30)}`).join('\f');
/** Rows of the header band at fine resolution, which differ between attempts (the time is in it). */
const HEADER_ROWS = 39;

describe('faxd killed mid-send', () => {
  let receiver: TestFaxd | undefined;
  let sender: ChildProcess | undefined;
  let dataDir = '';
  after(async () => {
    sender?.kill('SIGKILL');
    await receiver?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('retries the job after a restart and delivers it once', async () => {
    const [senderPort, receiverPort] = [await freeUdpPort(), await freeUdpPort()];
    receiver = await startTestFaxd({
      lines: [
        { id: 1, kind: 't38', bind: `127.0.0.1:${receiverPort}`, peer: `127.0.0.1:${senderPort}`, csid: 'RECEIVER' },
      ],
    });
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-crash-'));
    const config = await writeFaxdConfig(dataDir, {
      dataDir: join(dataDir, 'var'),
      outboundQueue: { retries: 3, retryDelaySeconds: 1 },
      lines: [
        { id: 1, kind: 't38', bind: `127.0.0.1:${senderPort}`, peer: `127.0.0.1:${receiverPort}`, tsid: 'SENDER' },
      ],
    });
    const first = await startFaxdProcess(config);
    sender = first.child;
    const submitted = await requestJson(first.url, '/v1/jobs', {
      method: 'POST',
      body: { to: '100', documents: [{ name: 'pages.txt', contentBase64: Buffer.from(TEXT).toString('base64') }] },
    });
    const jobId: string = submitted.body.jobId;
    await waitFor('page 2 to start', async () => {
      const job = (await requestJson(first.url, `/v1/jobs/${jobId}`)).body;
      return job.currentPage >= 2 ? true : undefined;
    });
    sender.kill('SIGKILL');
    await new Promise((resolve) => sender?.once('exit', resolve));

    const second = await startFaxdProcess(config);
    sender = second.child;
    const job = await waitFor(
      'the job to end after the restart and be archived',
      async () => {
        // Its end is recorded first and its archiving after: the outbox is read once both are done.
        const current = (await requestJson(second.url, `/v1/jobs/${jobId}`)).body;
        return isFinal(current.status) && current.messageId !== null ? current : undefined;
      },
      180_000,
    );
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(job.retries, 1, 'the interrupted attempt counts as a retry');
    assert.equal((await requestJson(second.url, '/v1/outbox')).body.length, 1);

    const inbox = await waitFor('the reception to be stored', async () => {
      const messages = (await requestJson(receiver?.url ?? '', '/v1/inbox')).body as {
        id: string;
        pages: number;
        partial: boolean;
      }[];
      return messages.some((m) => !m.partial) ? messages : undefined;
    });
    const complete = inbox.filter((m) => !m.partial);
    assert.equal(complete.length, 1, 'one complete copy, not two');
    const partial = inbox.filter((m) => m.partial);
    assert.ok(partial.length <= 1 && partial.every((m) => m.pages >= 1), 'the interrupted call kept, marked partial');
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(TEXT)), { paper: 'a4' });
    const received = libtiffPages(receiver.service.files.inboxFax(complete[0]?.id ?? '', 'tif'), PAGES);
    received.forEach((page, i) => {
      const original = sent[i] as BilevelPage;
      const below = (p: BilevelPage) => p.data.subarray(HEADER_ROWS * p.stride);
      assert.deepEqual(below(page), below(original), `page ${i + 1}`);
    });
  });
});
