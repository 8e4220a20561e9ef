// A received fax whose files were written but whose inbox message the store refused (issue 17: never leave files
// without a row): the job waits in fjsROUTING with its files, and the routing is tried again every 10 s on the service
// clock until the store takes the message; stopped meanwhile, faxd finds it at its next start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { ManualClock } from '../testing/manual-clock.js';
import { allowWrites, refuseWrites } from '../testing/refused-writes.js';
import { openTestStore } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const LINES = [
  { id: 1, name: 'Out', kind: 'loopback', tsid: '+1 555 0101', csid: '+1 555 0101' },
  { id: 2, name: 'In', kind: 'loopback', tsid: '+1 555 0102', csid: '+1 555 0102' },
];

const REFUSED_INBOX = {
  name: 'refuse_inbox',
  table: 'inbox',
  operation: 'insert',
  message: 'database or disk is full',
} as const;

/**
 * Makes faxd's store refuse (`refuse`) or take again every inbox message, through a second connection to its database:
 * a trigger aborts the insert as a store that cannot write would.
 */
async function refuseInboxRows(dataDir: string, refuse: boolean): Promise<void> {
  const db = await openTestStore(dataDir);
  try {
    await (refuse ? refuseWrites(db, REFUSED_INBOX) : allowWrites(db, REFUSED_INBOX));
  } finally {
    await db.destroy();
  }
}

describe('a received fax whose inbox message the store refuses', () => {
  let dataDir = '';
  const running: TestFaxd[] = [];
  after(async () => {
    for (const faxd of running) await faxd.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Sends a one-page fax from port 1 to port 2 of `faxd`; the reception's job once it waits in fjsROUTING. */
  async function receiveRefused(faxd: TestFaxd, text: string): Promise<string> {
    const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
    const before = faxd.events.length;
    const documents = [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }];
    const sent = await api('/v1/jobs', { method: 'POST', body: { to: '2', line: 1, documents } });
    assert.equal(sent.status, 201);
    const jobId = await waitFor('the reception to start', () => {
      const added = faxd.events.slice(before).find((event) => event.event === 'incomingJobAdded');
      return added && 'jobId' in added ? added.jobId : undefined;
    });
    // The call is over and its fax written; the routing that failed leaves the job where it was.
    await waitFor('the fax files to be written', () =>
      existsSync(faxd.service.files.inboxFax(jobId, 'pdf')) ? true : undefined,
    );
    // The port is free once the call's end has been handled, routing included.
    await waitFor('the port to be free', async () =>
      (await api('/v1/ports/2/status')).body.description === 'Available' ? true : undefined,
    );
    const job: JsonBody = (await api(`/v1/jobs/${jobId}`)).body;
    assert.equal(job.status, S.fjsROUTING, 'the reception waits for its message to be recorded');
    assert.equal((await api(`/v1/inbox/${jobId}`)).status, 404, 'its message is not recorded yet');
    assert.ok(existsSync(faxd.service.files.inboxFax(jobId, 'tif')), 'its files are kept');
    assert.ok(existsSync(faxd.service.files.receivedPage(jobId, 1)), 'and its page files');
    return jobId;
  }

  async function assertRouted(faxd: TestFaxd, jobId: string): Promise<void> {
    const api = (path: string) => requestJson(faxd.url, path);
    const job = await waitFor('the reception to be routed', async () => {
      const current = (await api(`/v1/jobs/${jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    assert.equal(job.status, S.fjsCOMPLETED);
    const message = (await api(`/v1/inbox/${jobId}`)).body;
    assert.equal(message.id, jobId);
    assert.equal(message.pages, 1);
    assert.equal(message.partial, false);
    assert.ok(existsSync(faxd.service.files.inboxFax(jobId, 'tif')));
    assert.equal(existsSync(faxd.service.files.jobDirectory(jobId)), false, 'the page files served their turn');
  }

  it('routes it once the store takes the message, tried every 10 s on the service clock', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-inbox-row-'));
    const clock = new ManualClock();
    const faxd = await startTestFaxd({ lines: LINES }, dataDir, { clock });
    running.push(faxd);
    await refuseInboxRows(dataDir, true);
    const jobId = await receiveRefused(faxd, 'A fax the inbox takes on the second try.\n');

    clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body.status, S.fjsROUTING, 'still refused');
    await refuseInboxRows(dataDir, false);
    clock.advance(10_000);
    await assertRouted(faxd, jobId);
    const added = faxd.events.filter((event) => event.event === 'incomingMessageAdded');
    assert.deepEqual(
      added.map((event) => 'messageId' in event && event.messageId),
      [jobId],
      'announced once',
    );
  });

  it('is found by the next start when faxd stops before the store takes the message', async () => {
    const [first] = running;
    assert.ok(first);
    await refuseInboxRows(dataDir, true);
    const jobId = await receiveRefused(first, 'A fax routed after a restart.\n');
    await first.close();
    running.length = 0;
    await refuseInboxRows(dataDir, false);

    const second = await startTestFaxd({ lines: LINES }, dataDir);
    running.push(second);
    await assertRouted(second, jobId);
    assert.equal((await requestJson(second.url, '/v1/inbox')).body.length, 2);
  });
});
