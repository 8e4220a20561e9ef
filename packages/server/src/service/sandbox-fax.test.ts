// Sandbox lines through the whole server (issue 16 item 3): jobs submitted over HTTP to the numbers of the README's
// table end with the documented FaxJobStatus, the partner line receives through the real T.30 engine pixel for pixel,
// and 200 jobs over two pairs each land exactly once, checked by the number every page carries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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
import { type BilevelPage, readTiff, samePixels } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { SANDBOX_NUMBERS } from '../lines/sandbox-line.js';
import {
  finalJob,
  type JsonBody,
  requestJson,
  startTestFaxd,
  submitText,
  type TestFaxd,
  waitFor,
} from '../testing/faxd-fixture.js';
import {
  numberedInboxProblems,
  numberedPage,
  readNumberedInbox,
  sandboxLinePairs,
  sandboxPartnerOf,
  submitNumberedFax,
  submitNumberedFaxes,
} from '../testing/numbered-faxes.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

/** A delivered job's steps (reference §4.3): pending, initializing, dialing, page 1, page 2, completed. */
const DELIVERED = ['1/0/0', '2/2/0', '2/3/0', '2/4/1', '2/4/2', '256/18/2'];

type JobChanged = Extract<FaxServerEvent, { event: 'outgoingJobChanged' | 'incomingJobChanged' }>;

/** `status/extendedStatusCode/currentPage` of each change of one job, repeats dropped. */
function steps(events: readonly FaxServerEvent[], kind: JobChanged['event'], jobId?: string): string[] {
  const all = events
    .filter((e): e is JobChanged => e.event === kind && (jobId === undefined || e.jobId === jobId))
    .map((e) => `${e.status.status}/${e.status.extendedStatusCode}/${e.status.currentPage}`);
  return all.filter((step, i) => step !== all[i - 1]);
}

/** The events the SSE stream replays from the start, up to and including the first that `last` picks. */
async function streamedEvents(base: string, last: (event: string, data: JsonBody) => boolean) {
  const response = await fetch(`${base}/v1/events`, {
    headers: { 'last-event-id': '0' },
    signal: AbortSignal.timeout(60_000),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: JsonBody }[] = [];
  let text = '';
  for (;;) {
    text += decoder.decode((await reader.read()).value, { stream: true });
    const blocks = text.split('\n\n');
    text = blocks.pop() as string;
    for (const block of blocks) {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === undefined || data === undefined) continue;
      events.push({ event, data: JSON.parse(data) });
      if (last(event, events.at(-1)?.data)) {
        await reader.cancel();
        return events;
      }
    }
  }
}

/** The rows of the README's table of sandbox numbers: the ending (none: any other number), and the job's end. */
function readmeSandboxTable() {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const lines = readme.slice(readme.indexOf('## Sandbox lines')).split('\n');
  const first = lines.findIndex((line) => line.startsWith('| ---')) + 1;
  const rows = lines.slice(
    first,
    lines.findIndex((line, i) => i >= first && !line.startsWith('|')),
  );
  return rows.map((row) => {
    const [ending, , job] = row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()) as [string, string, string];
    return {
      ending: /^`([0-9]{4})`$/.exec(ending)?.[1],
      retried: job.startsWith('retried'),
      status: job.match(/fjs[A-Z_]+/g)?.at(-1),
      reason: job.match(/fjes[A-Z_]+/g)?.at(-1),
    };
  });
}

describe('sandbox lines in the service', () => {
  let faxd: TestFaxd;

  before(async () => {
    // No header line, so what arrives is the document exactly; one retry, at once, so a retried number is seen twice.
    faxd = await startTestFaxd({
      outboundQueue: { headerTemplate: '', retries: 1, retryDelaySeconds: 0 },
      lines: [
        { id: 5, name: 'Sandbox A', kind: 'sandbox', peer: 6, tsid: '+1 555 0105', csid: '+1 555 0105' },
        { id: 6, name: 'Sandbox B', kind: 'sandbox', peer: 5, tsid: '+1 555 0106', csid: '+1 555 0106' },
      ],
    });
  });
  after(() => faxd.dispose());

  it('lists both lines as sandbox ports', async () => {
    const ports = (await requestJson(faxd.url, '/v1/ports')).body;
    assert.deepEqual(
      ports.map((port: { deviceId: number; kind: string }) => [port.deviceId, port.kind]),
      [
        [5, 'sandbox'],
        [6, 'sandbox'],
      ],
    );
  });

  it('ends a job whose fax went missing before it was sent, saying why, without dialling', async () => {
    await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const jobId = await submitText(faxd.url, 'a fax that will not be there', '555 0101');
    await rm(join(faxd.dataDir, 'jobs', jobId, 'fax.tif'));
    await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    const job = await finalJob(faxd.url, jobId);
    assert.equal(job.status, S.fjsRETRIES_EXCEEDED);
    assert.equal(job.extendedStatusCode, X.fjesFATAL_ERROR);
    assert.equal(job.lastError, `internal: the fax of job ${jobId} is not stored`);
    assert.ok(!steps(faxd.events, 'outgoingJobChanged', jobId).includes('2/3/0'), 'never dialled');
  });

  it('delivers a 2-page fax to the partner pixel for pixel, with the progression and events of a real line', async () => {
    const before = faxd.events.length;
    const jobId = await submitNumberedFax(faxd.url, 100, { to: '+1 555 0106', pages: 2, line: 5 });
    const job = await finalJob(faxd.url, jobId);
    assert.equal(job.status, S.fjsCOMPLETED);
    assert.equal(job.extendedStatusCode, X.fjesCALL_COMPLETED);
    assert.equal(job.deviceId, 5);
    assert.equal(job.csid, '+1 555 0106', "the partner's CSI");
    assert.equal(job.pages, 2);
    const events = faxd.events.slice(before);
    assert.deepEqual(steps(events, 'outgoingJobChanged', jobId), DELIVERED);

    const [message] = await waitFor('the fax in the inbox', async () => {
      const inbox = (await requestJson(faxd.url, '/v1/inbox')).body;
      return inbox.length === 1 ? inbox : undefined;
    });
    assert.equal(message.deviceId, 6);
    assert.equal(message.tsid, '+1 555 0105');
    assert.equal(message.csid, '+1 555 0106');
    assert.equal(message.pages, 2);
    assert.equal(message.partial, false);
    assert.equal(message.badRows, 0);
    const tiff = await (await fetch(`${faxd.url}/v1/inbox/${message.id}/document.tif`)).arrayBuffer();
    const received = readTiff(new Uint8Array(tiff)).map(({ page }) => page);
    assert.equal(received.length, 2);
    for (const [i, page] of received.entries()) {
      assert.ok(samePixels(page, numberedPage(100, i + 1) as BilevelPage), `page ${i + 1} is the document's`);
    }
    // Both ports free again: every event of the call and of the reception's routing has been published by then.
    const freed = (id: number) => (e: FaxServerEvent) =>
      e.event === 'deviceStatusChange' && e.deviceId === id && !e.sending && !e.receiving;
    await waitFor('both ports to be free', () =>
      faxd.events.slice(before).some(freed(5)) && faxd.events.slice(before).some(freed(6)) ? true : undefined,
    );
    const afterJob = faxd.events.slice(before);
    assert.deepEqual(steps(afterJob, 'incomingJobChanged'), ['2/5/0', '2/6/1', '2/6/2', '2048/18/2', '256/18/2']);
    assert.ok(afterJob.some((e) => e.event === 'incomingMessageAdded' && e.messageId === message.id));
    assert.ok(afterJob.some((e) => e.event === 'newCall' && e.deviceId === 6 && e.callerId === '+1 555 0105'));
    // Each port announces its call and its end; the sender's call first (the ends free in either order).
    const activity = afterJob.flatMap((e) =>
      e.event === 'deviceStatusChange' ? [`${e.deviceId}:${e.sending ? 'S' : ''}${e.receiving ? 'R' : ''}`] : [],
    );
    assert.deepEqual(activity.slice(0, 2), ['5:S', '6:R']);
    assert.deepEqual(
      activity.filter((a) => a.startsWith('5:')),
      ['5:S', '5:'],
    );
    assert.deepEqual(
      activity.filter((a) => a.startsWith('6:')),
      ['6:R', '6:'],
    );
    // The same progression reaches a client over HTTP, on the Server-Sent Events stream.
    // Up to the job's end: the reception may be routed before or after the sender's job is settled.
    const streamed = await streamedEvents(
      faxd.url,
      (event, data) => event === 'outgoingJobChanged' && data.jobId === jobId && isFinal(data.status.status),
    );
    const asEvents = streamed.map(({ event, data }) => ({ event, ...data }) as FaxServerEvent);
    assert.deepEqual(steps(asEvents, 'outgoingJobChanged', jobId), DELIVERED);
    const ports = (await requestJson(faxd.url, '/v1/status')).body;
    assert.deepEqual(
      ports.map((status: { currentPage: number | null }) => status.currentPage),
      [null, null],
      'both ports are free again',
    );
  });

  // The README's table of sandbox numbers, row by row, as printed there (retries: 1, so a number that is retried is
  // called twice).
  const TABLE = readmeSandboxTable().map((row) => ({
    number: `+1 555 010-${row.ending ?? '0100'}`,
    status: S[row.status as keyof typeof S],
    reason: X[row.reason as keyof typeof X],
    names: `${row.status}, ${row.reason}`,
    calls: row.retried ? 2 : 1,
    // What reaches the partner's inbox: nothing, each attempt's partial fax, or the fax.
    inbox: row.ending === undefined ? 1 : row.ending === '0004' ? 2 : 0,
  }));

  it("lists in the README's table every number the sandbox line knows, and a row for any other", () => {
    const endings = readmeSandboxTable().map((row) => row.ending);
    assert.deepEqual(endings, [...Object.keys(SANDBOX_NUMBERS), undefined]);
    for (const row of TABLE) assert.ok(row.status !== undefined && row.reason !== undefined, JSON.stringify(row));
  });

  for (const [row, expected] of TABLE.entries()) {
    it(`a job to ${expected.number} ends ${expected.names} after ${expected.calls} call(s)`, async () => {
      const before = faxd.events.length;
      const inboxBefore = (await readNumberedInbox(faxd.url)).length;
      const jobId = await submitNumberedFax(faxd.url, row, { to: expected.number, pages: 2 });
      const job = await finalJob(faxd.url, jobId);
      assert.equal(job.status, expected.status);
      assert.equal(job.extendedStatusCode, expected.reason);
      assert.equal(job.retries, expected.calls - 1);
      const outgoing = steps(faxd.events.slice(before), 'outgoingJobChanged', jobId);
      const dialed = outgoing.filter((step) => step === `${S.fjsINPROGRESS}/${X.fjesDIALING}/0`).length;
      assert.equal(dialed, expected.calls, `calls in ${outgoing}`);
      const retrying = outgoing.filter((step) => step.startsWith(`${S.fjsRETRYING}/${expected.reason}/`));
      assert.equal(retrying.length, expected.calls - 1, `a retry after each failed call: ${outgoing}`);
      const arrivals = await waitFor('the receptions to be routed', async () => {
        const inbox = await readNumberedInbox(faxd.url);
        return inbox.length === inboxBefore + expected.inbox ? inbox : undefined;
      });
      const ours = arrivals.filter((arrival) => arrival.jobs[0] === row);
      assert.equal(ours.length, expected.inbox);
      const cut = expected.reason === X.fjesDISCONNECTED;
      for (const arrival of ours) {
        assert.deepEqual(arrival.pages, cut ? [1] : [1, 2]);
        assert.equal(arrival.message.partial, cut, 'a call cut after page 1 is kept as a partial fax');
      }
      if (cut) {
        const incoming = steps(faxd.events.slice(before), 'incomingJobChanged');
        assert.ok(incoming.includes(`${S.fjsROUTING}/${X.fjesPARTIALLY_RECEIVED}/1`), `${incoming}`);
      }
    });
  }
});

describe('200 jobs over two sandbox pairs', () => {
  let faxd: TestFaxd;
  const JOBS = 200;

  before(async () => {
    faxd = await startTestFaxd({
      lines: sandboxLinePairs(5, 2),
    });
  });
  after(() => faxd.dispose());

  it('all complete, and each lands exactly once, whole, on the partner of the line that sent it', async () => {
    const numbers = Array.from({ length: JOBS }, (_, i) => i + 1);
    const jobIds = await submitNumberedFaxes(faxd.url, numbers, { to: '5550100', pages: 2 });
    const finals = () =>
      new Set(
        faxd.events.flatMap((e) => (e.event === 'outgoingJobChanged' && isFinal(e.status.status) ? [e.jobId] : [])),
      );
    // FaxStatus as a client polls it while the calls run: every snapshot of every port holds to the seed's rules.
    const snapshots: FaxStatus[] = [];
    await waitFor(
      'every job to end',
      async () => {
        snapshots.push(...((await requestJson(faxd.url, '/v1/status')).body as FaxStatus[]));
        return finals().size >= JOBS ? true : undefined;
      },
      300_000,
      250,
    );
    assert.deepEqual(
      snapshots.flatMap((status) => faxStatusProblems(status)),
      [],
    );
    const jobs = await Promise.all(jobIds.map((id) => requestJson(faxd.url, `/v1/jobs/${id}`).then((r) => r.body)));
    assert.deepEqual(
      jobs.filter((job) => job.status !== S.fjsCOMPLETED).map((job) => `${job.status}/${job.extendedStatusCode}`),
      [],
    );
    const arrivals = await waitFor('every fax in the inbox', async () => {
      const inbox = await readNumberedInbox(faxd.url);
      return inbox.length >= JOBS ? inbox : undefined;
    });
    assert.deepEqual(numberedInboxProblems(arrivals, numbers, 2), []);
    const sentOn = new Map(jobs.map((job, i) => [numbers[i] as number, job.deviceId as number]));
    for (const arrival of arrivals) {
      const sender = sentOn.get(arrival.jobs[0] as number) as number;
      assert.equal(arrival.message.deviceId, sandboxPartnerOf(5, sender), 'received by the partner');
    }
    const pairs = new Set([...sentOn.values()].map((line) => (line <= 6 ? '5-6' : '7-8')));
    assert.equal(pairs.size, 2, 'both pairs carried calls');
  });
});
