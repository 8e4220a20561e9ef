// @faxd/client and @faxd/client/compat against a real faxd (two loopback lines): the object model, a fax sent from
// port 1 to port 2 followed by refresh and by events, job operations, the inbox and the error types.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_OPERATIONS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  FaxApiError,
  FaxConnectionError,
  type FaxJobStatus,
  FaxServer,
  type FaxServerEvent,
  type FaxStatus,
} from '@faxd/client';
import * as compat from '@faxd/client/compat';
import { FAX_JOB_STATUS_PROPERTIES, FAX_STATUS_PROPERTIES, isFaxJobStatus, isFaxStatus } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { waitFor } from '@faxd/server/testing/faxd-fixture';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';

const S = FAX_JOB_STATUS_ENUM;
const E = FAX_SERVER_EVENTS_TYPE_ENUM;
const note = new TextEncoder().encode('A short note, sent from port 1 to port 2 by the SDK test.\n');

let faxd: RunningFaxd;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'faxd-sdk-'));
  faxd = await startFaxd({ listen: '127.0.0.1:0', dataDir, ...(await inProcessTestKeys(dataDir)) });
});

after(async () => {
  await faxd.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A URL on which nothing listens: a port the system just handed out and took back. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The FaxStatus properties the fax test follows. */
function sample({ send, currentPage, address, senderName, documentName }: FaxStatus) {
  return { send, currentPage, address, senderName, documentName };
}

function isNonDecreasing(values: readonly number[]): boolean {
  return values.every((value, i) => i === 0 || value >= values[i - 1]);
}

describe('@faxd/client against faxd', () => {
  it('lists the two loopback ports as a 1-based collection', async () => {
    const server = await FaxServer.connect(faxd.url);
    const ports = await server.getPorts();
    assert.equal(ports.count, 2);
    assert.deepEqual(
      [...ports].map((port) => port.deviceId),
      [1, 2],
    );
    assert.equal(ports.item(1).deviceId, 1);
    assert.equal(ports.item(2).deviceId, 2);
    for (const index of [0, 3, 1.5]) assert.throws(() => ports.item(index), RangeError);
    const port = await server.getPort(2);
    assert.equal(port.name, ports.item(2).name);
    assert.equal(port.canModify, false);
    assert.equal(port.send, true);
    assert.equal(port.receive, true);
    const methods = await port.getRoutingMethods();
    assert.ok(methods.some((method) => method.method === 'store' && method.enabled));
    // No file system path of the server's reaches a client.
    assert.deepEqual(methods[0], {
      method: 'store',
      friendlyName: 'Store in the inbox',
      enabled: true,
      target: '/v1/inbox',
    });
    assert.ok(!JSON.stringify(methods).includes(dataDir), 'the data directory is not shown');
    await assert.rejects(server.getPort(99), { name: 'FaxApiError', code: 'FAX_ERR_PORT_NOT_FOUND' });
  });

  it('gives an idle port a FaxStatus with exactly the 19 properties, null where they mean nothing', async () => {
    const server = await FaxServer.connect(faxd.url);
    const status = await (await server.getPorts()).item(1).getStatus();
    assert.deepEqual(Object.keys(status.toJSON()), FAX_STATUS_PROPERTIES);
    assert.ok(isFaxStatus(status.toJSON()), 'the wire shape conforms');
    assert.equal(JSON.stringify(status), JSON.stringify(status.toJSON()));
    assert.equal(status.deviceId, 1);
    assert.equal(status.send, false);
    assert.equal(status.currentPage, null);
    assert.equal(status.startTime, null);
    const viaCompat = new compat.FaxServer();
    await viaCompat.Connect(faxd.url);
    const ports = await viaCompat.GetPorts();
    assert.equal(ports.Count, 2);
    const compatStatus = await ports.Item(1).GetStatus();
    assert.equal(compatStatus.DeviceId, 1);
    assert.equal(compatStatus.Description, status.description);
    assert.equal(compatStatus.CurrentPage, null);
    viaCompat.Disconnect();
  });

  it('follows a fax from port 1 to port 2 through refresh, events and the compat names', async () => {
    const server = await FaxServer.connect(faxd.url);
    const viaCompat = new compat.FaxServer();
    await viaCompat.Connect(faxd.url);
    const events: FaxServerEvent[] = [];
    server.observe((event) => events.push(event));
    const status = await (await server.getPort(1)).getStatus();
    const compatStatus = await (await viaCompat.GetPorts()).Item(1).GetStatus();
    const samples: ReturnType<typeof sample>[] = [];
    const compatPages: (number | null)[] = [];
    const compatJobStatuses: number[] = [];
    viaCompat.on('outgoingJobChanged', (_jobId, jobStatus) => compatJobStatuses.push(jobStatus.Status));
    // What a script ported from COM writes: the IFaxServerNotify2 method names, with the COM property names.
    const comCalls: string[] = [];
    viaCompat.on('OnOutgoingJobAdded', (jobId) => comCalls.push(`OnOutgoingJobAdded ${jobId}`));
    viaCompat.on('OnOutgoingJobChanged', (jobId, jobStatus) =>
      comCalls.push(`OnOutgoingJobChanged ${jobId} ${jobStatus.Status}`),
    );
    viaCompat.on('OnOutgoingJobRemoved', (jobId) => comCalls.push(`OnOutgoingJobRemoved ${jobId}`));
    await server.listenToServerEvents(E.fsetOUT_QUEUE | E.fsetOUT_ARCHIVE | E.fsetDEVICE_STATUS);
    await viaCompat.ListenToServerEvents(E.fsetOUT_QUEUE);

    const job = await server.submit({
      to: '2',
      documents: [{ name: 'note.txt', content: note }],
      recipientName: 'Ann Example',
      senderName: 'Bob Sender',
      priority: 'high',
      line: 1,
    });
    assert.equal(job.direction, 'outgoing');
    assert.equal(job.recipientNumber, '2');
    assert.equal(job.recipientName, 'Ann Example');
    assert.equal(job.priority, 2);

    // While pages go out, each job change queues a refresh of the port's status (one at a time, so that the samples
    // keep the server's order). Following ends once the job has ended and port 1 has gone idle, in either order.
    let refreshes = Promise.resolve();
    const final = await new Promise<FaxJobStatus>((resolve) => {
      let ended: FaxJobStatus | undefined;
      let idle = false;
      server.on('outgoingJobChanged', (jobId, jobStatus) => {
        if (jobId !== job.jobId) return;
        if (jobStatus.isFinal) ended = jobStatus;
        else if (jobStatus.currentPage >= 1) {
          refreshes = refreshes.then(async () => {
            await Promise.all([status.refresh(), compatStatus.Refresh()]);
            samples.push(sample(status));
            compatPages.push(compatStatus.CurrentPage);
          });
        }
        if (ended && idle) resolve(ended);
      });
      server.on('deviceStatusChange', (deviceId, _poweredOff, sending) => {
        if (deviceId === 1) idle = !sending;
        if (ended && idle) resolve(ended);
      });
    });
    await refreshes;

    assert.equal(final.status, S.fjsCOMPLETED);
    assert.equal(final.extendedStatusCode, FAX_JOB_EXTENDED_STATUS_ENUM.fjesCALL_COMPLETED);
    assert.ok(final.transmissionEnd instanceof Date);
    assert.deepEqual(Object.keys(final.toJSON()), FAX_JOB_STATUS_PROPERTIES);
    assert.ok(isFaxJobStatus(final.toJSON()));

    const sending = samples.filter((s) => s.send);
    assert.ok(sending.length > 0, 'a refresh saw the port sending');
    assert.deepEqual(sending[0], {
      send: true,
      currentPage: sending[0].currentPage,
      address: '2',
      senderName: 'Bob Sender',
      documentName: 'note.txt',
    });
    const pages = sending.map((s) => s.currentPage as number);
    assert.ok(pages[0] >= 1 && isNonDecreasing(pages), `pages seen: ${pages}`);
    assert.ok(compatPages.some((page) => page !== null && page >= 1));
    await status.refresh();
    assert.equal(status.send, false);
    assert.equal(status.currentPage, null);

    // The job leaves the queue for the archive after it ends: both connections hear of it in their own time.
    const removed = (e: FaxServerEvent) => e.event === 'outgoingJobRemoved' && e.jobId === job.jobId;
    await waitFor('the job to leave the queue', () =>
      events.some(removed) && comCalls.includes(`OnOutgoingJobRemoved ${job.jobId}`) ? true : undefined,
    );
    const ofJob = events.filter((e) => 'jobId' in e && e.jobId === job.jobId);
    const names = ofJob.map((e) => e.event);
    assert.equal(names[0], 'outgoingJobAdded');
    const changes = ofJob.flatMap((e) => (e.event === 'outgoingJobChanged' ? [e.status] : []));
    assert.ok(changes.length >= 3, `changes: ${changes.map((c) => c.status)}`);
    assert.equal(changes[0].status, S.fjsPENDING);
    assert.equal(changes.at(-1)?.status, S.fjsCOMPLETED);
    assert.ok(isNonDecreasing(changes.map((c) => c.currentPage)));
    assert.ok(names.lastIndexOf('outgoingJobChanged') < names.indexOf('outgoingJobRemoved'));
    assert.equal(compatJobStatuses.at(-1), S.fjsCOMPLETED);
    const ofJobByCom = comCalls.filter((call) => call.includes(job.jobId));
    assert.deepEqual(ofJobByCom, [
      `OnOutgoingJobAdded ${job.jobId}`,
      ...compatJobStatuses.map((status) => `OnOutgoingJobChanged ${job.jobId} ${status}`),
      `OnOutgoingJobRemoved ${job.jobId}`,
    ]);

    server.disconnect();
    viaCompat.Disconnect();
  });

  it('refuses a listener for an event that does not exist, in the SDK and under the COM names', async () => {
    const server = await FaxServer.connect(faxd.url);
    const viaCompat = new compat.FaxServer();
    const misspelt = (name: string) => name as compat.CompatEventName;
    assert.throws(() => viaCompat.on(misspelt('OnOutgoingJobChange'), () => {}), {
      name: 'TypeError',
      message: /"OnOutgoingJobChange" is not a fax server event/,
    });
    assert.throws(() => viaCompat.on(misspelt('outgoingJobsChanged'), () => {}), TypeError);
    assert.throws(() => server.on(misspelt('outgoingJobsChanged') as 'outgoingJobChanged', () => {}), TypeError);
    server.disconnect();
  });

  it('finds the received fax in the inbox and downloads it as TIFF and PDF', async () => {
    const server = await FaxServer.connect(faxd.url);
    // The sender's job completes when the receiver has confirmed the page; the receiver stores the fax just after.
    const [message] = await waitFor('the fax in the inbox', async () => {
      const inbox = await server.getInbox();
      return inbox.length > 0 ? inbox : undefined;
    });
    assert.equal(message.deviceId, 2);
    assert.equal(message.pages, 1);
    assert.equal(message.partial, false);
    assert.deepEqual(await server.getInboxMessage(message.id), message);
    const tiff = await server.downloadInboxMessage(message.id, 'tiff');
    assert.equal(tiff.length, message.size);
    assert.equal(readTiff(tiff).length, 1);
    const pdf = await server.downloadInboxMessage(message.id, 'pdf');
    assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), '%PDF-');
    const [sent] = await server.getOutbox();
    assert.equal(sent.recipientNumber, '2');
    assert.equal(sent.status, S.fjsCOMPLETED);
    server.disconnect();
  });

  it('views a queued job and a received fax (fjoVIEW) as TIFF and as PNG pages', async () => {
    const server = await FaxServer.connect(faxd.url);
    const scheduledAt = new Date('2099-01-01T00:00:00Z');
    const job = await server.submit({ to: '2', documents: [{ name: 'note.txt', content: note }], scheduledAt });
    assert.equal(job.status.availableOperations & FAX_JOB_OPERATIONS_ENUM.fjoVIEW, FAX_JOB_OPERATIONS_ENUM.fjoVIEW);
    assert.equal(readTiff(await server.downloadJobDocument(job.jobId)).length, 1);
    const png = await server.downloadJobPage(job.jobId, 1);
    assert.deepEqual([...png.subarray(1, 4)], [...new TextEncoder().encode('PNG')]);
    await assert.rejects(server.downloadJobPage(job.jobId, 2), { code: 'FAX_ERR_NOT_FOUND' });
    await server.cancelJob(job.jobId);

    const [received] = await server.getJobs({ direction: 'incoming', all: true });
    const [message] = await server.getInbox();
    assert.equal(received?.jobId, message?.id);
    assert.deepEqual(
      await server.downloadJobDocument(received?.jobId ?? ''),
      await server.downloadInboxMessage(message?.id ?? '', 'tiff'),
    );
  });

  it('pauses, resumes and cancels a scheduled job, and changes the queue state', async () => {
    const server = await FaxServer.connect(faxd.url);
    const scheduledAt = new Date('2099-01-01T00:00:00Z');
    const job = await server.submit({ to: '2', documents: [{ name: 'note.txt', content: note }], scheduledAt });
    assert.equal(job.status.status, S.fjsPENDING);
    assert.deepEqual(job.status.scheduledTime, scheduledAt);
    assert.equal((await server.pauseJob(job.jobId)).status.status, S.fjsPENDING | S.fjsPAUSED);
    assert.equal((await server.resumeJob(job.jobId)).status.status, S.fjsPENDING);
    await assert.rejects(server.restartJob(job.jobId), { code: 'FAX_ERR_OPERATION_NOT_ALLOWED' });
    assert.ok((await server.getJobs()).some((j) => j.jobId === job.jobId));
    assert.equal((await server.cancelJob(job.jobId)).status.status, S.fjsCANCELED);
    assert.ok(!(await server.getJobs({ direction: 'outgoing' })).some((j) => j.jobId === job.jobId));
    assert.ok((await server.getJobs({ all: true })).some((j) => j.jobId === job.jobId));

    assert.equal((await server.getQueueState()).outgoingQueuePaused, false);
    assert.equal((await server.setQueueState({ outgoingQueuePaused: true })).outgoingQueuePaused, true);
    assert.equal((await server.setQueueState({ outgoingQueuePaused: false })).outgoingQueuePaused, false);
  });

  it('throws FaxApiError for a refused request and FaxConnectionError when nothing answers', async () => {
    const server = await FaxServer.connect(faxd.url);
    await assert.rejects(server.getJob('no-such-job'), (error: unknown) => {
      assert.ok(error instanceof FaxApiError);
      assert.equal(error.code, 'FAX_ERR_JOB_NOT_FOUND');
      assert.equal(error.status, 404);
      assert.equal(error.message, 'No job with id no-such-job');
      return true;
    });
    const url = await deadUrl();
    await assert.rejects(FaxServer.connect(url), (error: unknown) => {
      assert.ok(error instanceof FaxConnectionError);
      assert.match(error.message, new RegExp(`^cannot reach the fax server at ${url}: connection refused$`));
      return true;
    });
  });
});
