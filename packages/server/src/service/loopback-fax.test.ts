// A fax through the whole server on the embedded default's loopback lines: submitted over HTTP, sent on port 1 by
// the T.30 engine over T.38, received on port 2, stored, routed; FaxStatus and the events watched all the way.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  type FaxServerEvent,
  type FaxStatus,
  faxStatusProblems,
  isFinal,
} from '@faxd/contract';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { webhookSignature } from './webhook-sender.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;
const TEXT = 'faxd loopback test\n\nPage one of two.\n\fPage two of two.\n';

interface Hook {
  readonly url: string;
  readonly requests: { headers: IncomingMessage['headers']; body: string; answered: number }[];
  close(): Promise<void>;
}

/** A webhook receiver that answers 500 to the first delivery and 204 to the next. */
async function startHook(): Promise<Hook> {
  const requests: Hook['requests'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const answered = requests.length === 0 ? 500 : 204;
      requests.push({ headers: request.headers, body, answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fax`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

/** The band of rows the header line is stamped in at fine resolution (0.2 in). */
const HEADER_ROWS = 39;

function rowsFrom(page: BilevelPage, first: number): Uint8Array {
  return page.data.subarray(first * page.stride);
}

function hasInk(page: BilevelPage, rows: number): boolean {
  return page.data.subarray(0, rows * page.stride).some((byte) => byte !== 0);
}

describe('a fax from loopback port 1 to port 2', () => {
  let faxd: TestFaxd;
  let hook: Hook;
  let folder: string;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    hook = await startHook();
    folder = await mkdtemp(join(tmpdir(), 'faxd-folder-'));
    faxd = await startTestFaxd({
      lines: [
        { id: 1, name: 'Out', kind: 'loopback', tsid: '+1 555 0101', csid: '+1 555 0101' },
        {
          id: 2,
          name: 'In',
          kind: 'loopback',
          tsid: '+1 555 0102',
          csid: '+1 555 0102',
          routing: { folder, webhook: { url: hook.url, secret: 'hook-key' } },
        },
      ],
    });
  });
  after(async () => {
    await faxd.dispose();
    await hook.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('reports progress in FaxStatus and events, and what arrives is the document with a header line', async () => {
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      body: {
        to: '+1 555 0102',
        recipientName: 'Bob',
        senderName: 'Alice',
        line: 1,
        documents: [{ name: 'note.txt', contentBase64: Buffer.from(TEXT).toString('base64') }],
      },
    });
    assert.equal(submitted.status, 201);
    const jobId: string = submitted.body.jobId;
    const sending: FaxStatus[] = [];
    const receiving: FaxStatus[] = [];
    const job = await waitFor('the job to end', async () => {
      const [one, two] = (await api('/v1/status')).body as FaxStatus[];
      if (one?.send) sending.push(one);
      if (two?.receive) receiving.push(two);
      const current = (await api(`/v1/jobs/${jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    assert.equal(job.status, S.fjsCOMPLETED);
    assert.equal(job.extendedStatusCode, X.fjesCALL_COMPLETED);
    assert.equal(job.csid, '+1 555 0102');
    assert.equal(job.tsid, '+1 555 0101');
    assert.equal(job.currentPage, 2);
    assert.equal(job.deviceId, 1);
    assert.ok(job.transmissionEnd >= job.transmissionStart);

    // FaxStatus while sending: every snapshot conforms, and the page rises 0 → 1 → 2.
    assert.ok(sending.length > 3, 'port 1 was seen sending');
    for (const status of [...sending, ...receiving]) assert.deepEqual(faxStatusProblems(status), []);
    const pagesSeen = [...new Set(sending.map((s) => s.currentPage))];
    assert.deepEqual(pagesSeen, [...pagesSeen].sort());
    assert.ok(pagesSeen.includes(1) && pagesSeen.includes(2), `pages seen: ${pagesSeen}`);
    const last = sending.at(-1) as FaxStatus;
    assert.equal(last.address, '+1 555 0102');
    assert.equal(last.csid, '+1 555 0102', 'the remote CSI');
    assert.equal(last.tsid, '+1 555 0101');
    assert.equal(last.recipientName, 'Bob');
    assert.equal(last.senderName, 'Alice');
    assert.equal(last.documentName, 'note.txt');
    assert.equal(last.documentSize, job.size);
    assert.equal(last.pageCount, 2);
    assert.equal(last.submittedTime, job.submissionTime);
    assert.ok(last.startTime !== null && (last.elapsedTime as number) >= 0);
    assert.ok(sending.some((s) => s.description === 'Sending'));
    assert.equal(receiving.at(-1)?.tsid, '+1 555 0101', 'port 2 shows the remote TSI');

    // The outbound job's steps, in the order of reference §4.3.
    const steps = faxd.events
      .filter(
        (e): e is Extract<FaxServerEvent, { event: 'outgoingJobChanged' }> =>
          e.event === 'outgoingJobChanged' && e.jobId === jobId,
      )
      .map((e) => `${e.status.status}/${e.status.extendedStatusCode}/${e.status.currentPage}`);
    const distinct = steps.filter((step, i) => step !== steps[i - 1]);
    assert.deepEqual(distinct, ['1/0/0', '2/2/0', '2/3/0', '2/4/1', '2/4/2', '256/18/2']);
    // The job leaves the queue for the archive just after it ends.
    const ofJob = () => faxd.events.filter((e) => 'jobId' in e && e.jobId === jobId).map((e) => e.event);
    const order = await waitFor('the job to leave the queue', () =>
      ofJob().includes('outgoingJobRemoved') ? ofJob() : undefined,
    );
    assert.equal(order[0], 'outgoingJobAdded');
    assert.equal(order.at(-1), 'outgoingJobRemoved');

    // The reception: its job, the inbox, the files, the folder and the webhook.
    // The sender's job ends on the last MCF; the receiving port archives its fax after that.
    const inbox = await waitFor('the fax in the inbox', async () => {
      const messages = (await api('/v1/inbox')).body as JsonBody[];
      return messages.length > 0 ? messages : undefined;
    });
    assert.equal(inbox.length, 1);
    const message = inbox[0];
    assert.equal(message.tsid, '+1 555 0101');
    assert.equal(message.csid, '+1 555 0102');
    assert.equal(message.pages, 2);
    assert.equal(message.partial, false);
    assert.equal(message.badRows, 0);
    const incoming = faxd.events
      .filter((e): e is Extract<FaxServerEvent, { event: 'incomingJobChanged' }> => e.event === 'incomingJobChanged')
      .map((e) => `${e.status.jobType}/${e.status.status}/${e.status.extendedStatusCode}/${e.status.currentPage}`);
    assert.deepEqual(
      incoming.filter((step, i) => step !== incoming[i - 1]),
      ['1/2/5/0', '1/2/6/1', '1/2/6/2', '2/2048/18/2', '2/256/18/2'],
    );
    assert.ok(faxd.events.some((e) => e.event === 'incomingMessageAdded' && e.messageId === message.id));

    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(TEXT)), { paper: 'a4' });
    const stored = faxd.service.files.inboxFax(message.id, 'tif');
    const received = libtiffPages(stored, 2);
    for (const [i, page] of received.entries()) {
      const original = sent[i] as BilevelPage;
      assert.equal(page.width, original.width);
      assert.equal(page.height, original.height);
      assert.ok(!hasInk(original, HEADER_ROWS) && hasInk(page, HEADER_ROWS), `page ${i + 1} carries the header line`);
      assert.deepEqual(rowsFrom(page, HEADER_ROWS), rowsFrom(original, HEADER_ROWS), `page ${i + 1} below the header`);
    }
    const pdf = await fetch(`${faxd.url}/v1/inbox/${message.id}/document.pdf`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
    assert.deepEqual(await readdir(folder), [`${message.id}.tif`]);
    assert.ok(
      samePixels(libtiffPages(join(folder, `${message.id}.tif`), 1)[0] as BilevelPage, received[0] as BilevelPage),
    );

    await waitFor('the webhook to be acknowledged', () => (hook.requests.length >= 2 ? true : undefined), 10_000);
    const [refused, delivered] = hook.requests;
    assert.equal(refused?.answered, 500);
    assert.equal(delivered?.body, refused?.body, 'the retry carries the same body');
    assert.equal(delivered?.headers['x-faxd-signature'], webhookSignature('hook-key', delivered?.body ?? ''));
    assert.equal(JSON.parse(delivered?.body ?? '{}').message.id, message.id);
  });

  it('cancels a fax mid-send: the job ends canceled and both ports come back', async () => {
    const pages = `${'A page to cancel.\n'.repeat(40)}\f`.repeat(4);
    const { body } = await api('/v1/jobs', {
      method: 'POST',
      body: {
        to: '2',
        line: 1,
        documents: [{ name: 'long.txt', contentBase64: Buffer.from(pages).toString('base64') }],
      },
    });
    await waitFor('page 1 to start', async () =>
      (await api(`/v1/jobs/${body.jobId}`)).body.currentPage >= 1 ? true : undefined,
    );
    const canceling = await api(`/v1/jobs/${body.jobId}/cancel`, { method: 'POST' });
    assert.equal(canceling.status, 200);
    assert.equal(canceling.body.status, S.fjsCANCELING);
    const ended = await waitFor('the cancel to finish', async () => {
      const job = (await api(`/v1/jobs/${body.jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    assert.equal(ended.status, S.fjsCANCELED);
    assert.equal(ended.extendedStatusCode, X.fjesCALL_ABORTED);
    await waitFor('both ports to be available', async () => {
      const statuses = (await api('/v1/status')).body as FaxStatus[];
      return statuses.every((s) => s.description === 'Available') ? true : undefined;
    });
    const incoming = (await api('/v1/jobs?direction=incoming&all=true')).body as { status: number }[];
    assert.ok(
      incoming.every((job) => isFinal(job.status)),
      'no reception is left in a non-final state',
    );
  });
});
