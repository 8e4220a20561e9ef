// A reception whose pages cannot be stored (issue 17: never confirm what is not stored): the page files' place is made
// a plain file mid-call — a fault that stops root too, where chmod would not — and the sender must not see the page
// confirmed, while pages stored before it stay as a partial reception.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

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
    await waitFor(
      'page 1 to be stored',
      () => (existsSync(join(directory, 'page-1.tif')) ? true : undefined),
      60_000,
      5,
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
