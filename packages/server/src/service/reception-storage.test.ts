// A reception whose pages cannot be stored (issue 17: never confirm what is not stored): the page files' place is made
// a plain file mid-call — a fault that stops root too, where chmod would not — and the sender must not see the page
// confirmed, while pages stored before it stay as a partial reception (over real-time loopback lines, so the fault
// falls mid-call). A fax whose inbox is blocked before it is sent waits for room; its call, over before the fault
// matters, runs on a sandbox pair.
import assert from 'node:assert/strict';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

describe('a reception on a data directory that stops taking its pages', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    faxd = await startTestFaxd({
      lines: [
        { id: 1, name: 'Out', kind: 'loopback', tsid: '+1 555 0101', csid: '+1 555 0101' },
        { id: 2, name: 'In', kind: 'loopback', tsid: '+1 555 0102', csid: '+1 555 0102' },
      ],
    });
  });
  after(() => faxd.dispose());

  /** Submits `text` on port 1; the outgoing job's id. */
  async function send(text: string): Promise<string> {
    const { status, body } = await api('/v1/jobs', {
      method: 'POST',
      body: {
        to: '2',
        line: 1,
        documents: [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }],
      },
    });
    assert.equal(status, 201);
    return body.jobId;
  }

  /** The id of the next reception that starts. */
  function nextReception(after: number): Promise<string> {
    return waitFor(
      'a reception to start',
      () => faxd.events.slice(after).find((event) => event.event === 'incomingJobAdded')?.jobId,
      60_000,
      5,
    );
  }

  /** Waits for both jobs to end; the outgoing job may retry later, so a retry counts as its end here. */
  async function outcomes(outgoingId: string, incomingId: string) {
    const incoming = await waitFor('the reception to end', async () => {
      const job = (await api(`/v1/jobs/${incomingId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    const outgoing = await waitFor('the sending job to end its attempt', async () => {
      const job = (await api(`/v1/jobs/${outgoingId}`)).body;
      return isFinal(job.status) || job.status === S.fjsRETRYING ? job : undefined;
    });
    return { incoming, outgoing };
  }

  it('does not confirm a first page it could not store: the sender retries, the reception fails saying why', async () => {
    const seen = faxd.events.length;
    const outgoingId = await send('A page that finds no room.\n');
    const incomingId = await nextReception(seen);
    // The page files go under the job's directory: a plain file in its place makes every write there fail.
    await writeFile(faxd.service.files.jobDirectory(incomingId), 'not a directory');

    const { incoming, outgoing } = await outcomes(outgoingId, incomingId);
    assert.equal(outgoing.status, S.fjsRETRYING, 'the sender did not count the page as delivered');
    assert.equal(outgoing.extendedStatusCode, X.fjesDISCONNECTED);
    assert.equal(incoming.status, S.fjsFAILED);
    assert.match(incoming.lastError, /^page 1 could not be stored \(E[A-Z]+\)$/);
    assert.deepEqual((await api('/v1/inbox')).body, []);
    assert.equal((await api('/v1/status')).status, 200, 'faxd is still serving');
    await api(`/v1/jobs/${outgoingId}/cancel`, { method: 'POST' });
  });

  it('keeps the pages stored before the one that failed as a partial reception', async () => {
    const seen = faxd.events.length;
    const outgoingId = await send('Page one, stored.\n\fPage two, finds no room.\n');
    const incomingId = await nextReception(seen);
    const directory = faxd.service.files.jobDirectory(incomingId);
    // Stored means written and synced, file and directory: the job's Size grows only then (the file alone shows early).
    await waitFor(
      'page 1 to be stored',
      async () => ((await api(`/v1/jobs/${incomingId}`)).body.size > 0 ? true : undefined),
      60_000,
      10,
    );
    await rename(directory, `${directory}-aside`);
    await writeFile(directory, 'not a directory');

    const { incoming, outgoing } = await outcomes(outgoingId, incomingId);
    assert.equal(outgoing.status, S.fjsRETRYING, 'the sender did not count page 2 as delivered');
    assert.match(incoming.lastError, /^page 2 could not be stored \(E[A-Z]+\)$/);
    const inbox = (await api('/v1/inbox')).body;
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].id, incomingId);
    assert.equal(inbox[0].pages, 1);
    assert.equal(inbox[0].partial, true);
    await api(`/v1/jobs/${outgoingId}/cancel`, { method: 'POST' });
  });
});

describe('a reception whose fax the disk takes only later', () => {
  let faxd: TestFaxd;
  const clock = new ManualClock();
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    faxd = await startTestFaxd(
      {
        lines: [
          { id: 1, name: 'Out', kind: 'sandbox', peer: 2, tsid: '+1 555 0101', csid: '+1 555 0101' },
          { id: 2, name: 'In', kind: 'sandbox', peer: 1, tsid: '+1 555 0102', csid: '+1 555 0102' },
        ],
      },
      undefined,
      { clock },
    );
  });
  after(() => faxd.dispose());

  it('holds the confirmed pages and writes the fax once it can, on the service clock', async () => {
    // The inbox's place taken by a plain file: the fax cannot be written until it is a directory again.
    const inbox = dirname(faxd.service.files.inboxFax('x', 'tif'));
    await writeFile(inbox, 'not a directory');
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      body: {
        to: '2',
        line: 1,
        documents: [{ name: 'a.txt', contentBase64: Buffer.from('A page.\n').toString('base64') }],
      },
    });
    assert.equal(submitted.status, 201);
    const sent = await waitFor('the fax to be sent', async () => {
      const job = (await api(`/v1/jobs/${submitted.body.jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    assert.equal(sent.status, S.fjsCOMPLETED, 'the sender was told the page arrived');
    const incomingId = faxd.events.find((event) => event.event === 'incomingJobAdded')?.jobId ?? '';
    await waitFor('the first write to fail', () =>
      faxd.events.some(
        (e) => e.event === 'incomingJobChanged' && e.jobId === incomingId && e.status.status === S.fjsROUTING,
      )
        ? true
        : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await api(`/v1/jobs/${incomingId}`)).body.status, S.fjsROUTING, 'the reception waits for room');

    await rm(inbox);
    clock.advance(10_000);
    const received = await waitFor('the reception to be stored', async () => {
      const job = (await api(`/v1/jobs/${incomingId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    assert.equal(received.status, S.fjsCOMPLETED);
    const messages = (await api('/v1/inbox')).body;
    assert.equal(messages.length, 1);
    assert.equal(messages[0].pages, 1);
    assert.equal(messages[0].partial, false);
  });
});
