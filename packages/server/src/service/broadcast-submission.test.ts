// Broadcast submissions against a real faxd over HTTP, its queue paused so that nothing dials: a list refused whole
// (empty, duplicate, malformed, too long, with `to` or `recipientName` too, with a bad document) leaves no job, no row
// and no file; 500 recipients are one request, 500 jobs in entry order and one converted document on disk, which
// goes when the broadcast is canceled, the archive keeping each job's fax as a link to that one file.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import { parseFaxdConfig } from '../config/faxd-config.js';
import { ConversionThread } from '../documents/conversion-thread.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { openTestStore } from '../testing/test-store.js';
import { prepareBroadcast, recordBroadcast } from './broadcast-submission.js';
import { DataFiles } from './data-files.js';
import { EventHub } from './event-hub.js';
import { JobBook } from './job-book.js';

const S = FAX_JOB_STATUS_ENUM;
const TEXT = 'A notice to every supplier.\n';
const documents = [{ name: 'notice.txt', contentBase64: Buffer.from(TEXT).toString('base64') }];

/** Every file under `dir` (none when it does not exist), as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** The stored faxes (TIFF Class F of submissions) among the files of the data directory. */
async function storedFaxes(dataDir: string): Promise<string[]> {
  return (await filesUnder(dataDir)).filter((path) => path.endsWith('fax.tif'));
}

/** `count` distinct numbers, written with the separators people use. */
function recipients(count: number): { number: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    number: `+1 (555) ${String(1000 + i).padStart(4, '0')}`,
    name: `Pharmacy ${i + 1}`,
  }));
}

describe('a broadcast refused', () => {
  let faxd: TestFaxd;
  const submit = (body: unknown) => requestJson(faxd.url, '/v1/jobs', { method: 'POST', body });

  before(async () => {
    faxd = await startTestFaxd({});
    await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
  });
  after(() => faxd.dispose());

  const five = ['555-0100', '555 0101', '5550102', '555 (0103)', '+1 555 0104'].map((number) => ({ number }));
  const rows: { what: string; body: unknown; status: number; code: string; field: string; message: RegExp }[] = [
    {
      what: 'an empty list',
      body: { recipients: [], documents },
      status: 400,
      code: 'FAX_ERR_BAD_REQUEST',
      field: 'recipients',
      message: /recipients is empty/,
    },
    {
      what: 'a number twice, written differently',
      body: { recipients: [...five.slice(0, 4), { number: '555.0100', name: 'again' }], documents },
      status: 422,
      code: 'FAX_ERR_DUPLICATE_RECIPIENT',
      field: 'recipients[4]',
      message: /^recipients\[0\] and recipients\[4\] are the same fax number: 5550100$/,
    },
    {
      what: 'a malformed number',
      body: { recipients: [...five.slice(0, 3), { number: 'call me' }, five[4]], documents },
      status: 422,
      code: 'FAX_ERR_BAD_NUMBER',
      field: 'recipients[3].number',
      message: /call me/,
    },
    {
      what: 'an empty number',
      body: { recipients: [{ number: '' }], documents },
      status: 422,
      code: 'FAX_ERR_BAD_NUMBER',
      field: 'recipients[0].number',
      message: /dialed/,
    },
    {
      what: 'one more than limits.recipientsPerSubmission',
      body: { recipients: recipients(1001), documents },
      status: 413,
      code: 'FAX_ERR_TOO_MANY_RECIPIENTS',
      field: 'recipients',
      message: /more than 1000 recipients/,
    },
    {
      what: 'to and recipients',
      body: { to: '5550199', recipients: five, documents },
      status: 400,
      code: 'FAX_ERR_BAD_REQUEST',
      field: 'recipients',
      message: /either to .* or recipients .*, not both/,
    },
    {
      what: 'neither to nor recipients',
      body: { documents },
      status: 400,
      code: 'FAX_ERR_BAD_REQUEST',
      field: 'to',
      message: /'to' .* or 'recipients'/,
    },
    {
      what: 'recipientName with recipients',
      body: { recipients: five, recipientName: 'Everyone', documents },
      status: 400,
      code: 'FAX_ERR_BAD_REQUEST',
      field: 'recipientName',
      message: /each entry carries its own name/,
    },
    {
      what: 'a document that is not a fax',
      body: { recipients: five, documents: [{ name: 'x.bin', contentBase64: 'AAECAw==' }] },
      status: 415,
      code: 'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
      field: '',
      message: /x\.bin/,
    },
  ];

  for (const row of rows) {
    it(`answers ${row.what} with ${row.code}, leaving no job, row or file`, async () => {
      const { status, body } = await submit(row.body);
      assert.equal(status, row.status, JSON.stringify(body));
      assert.equal(body.error.code, row.code);
      assert.match(body.error.message, row.message);
      if (row.field) assert.equal(body.error.details.field, row.field);
      assert.deepEqual((await requestJson(faxd.url, '/v1/jobs?all=true')).body, []);
      assert.deepEqual(
        faxd.events.filter((e) => e.event === 'outgoingJobAdded'),
        [],
      );
      const files = await filesUnder(faxd.dataDir);
      assert.deepEqual(
        files.filter((path) => path.startsWith('jobs/') || path.startsWith('broadcasts/')),
        [],
      );
    });
  }

  it('names both entries of a duplicate in its details', async () => {
    const { body } = await submit({ recipients: [...five, { number: '+1-555-0104' }], documents });
    assert.deepEqual(body.error.details, {
      field: 'recipients[5]',
      fields: ['recipients[4]', 'recipients[5]'],
      number: '+15550104',
    });
  });

  it('answers FAX_ERR_BROADCAST_NOT_FOUND for a broadcast that does not exist', async () => {
    for (const [path, method] of [
      ['/v1/broadcasts/0123456789ab', 'GET'],
      ['/v1/broadcasts/0123456789ab/cancel', 'POST'],
    ] as const) {
      const { status, body } = await requestJson(faxd.url, path, { method });
      assert.equal(status, 404);
      assert.equal(body.error.code, 'FAX_ERR_BROADCAST_NOT_FOUND');
      assert.equal(body.error.message, 'No broadcast with id 0123456789ab');
    }
  });
});

describe('a broadcast whose jobs the store refuses', () => {
  it('records none of them, and its files go', async () => {
    const root = await mkdtemp(join(tmpdir(), 'faxd-broadcast-refused-'));
    const db = await openTestStore(root);
    const hub = await EventHub.open(db);
    const conversions = new ConversionThread();
    try {
      const files = new DataFiles(root);
      const book = new JobBook(db, hub);
      const context = { config: parseFaxdConfig({}), files, conversions, now: new Date() };
      const request = { recipients: recipients(3), documents };
      const { broadcastId, rows } = await prepareBroadcast(request, context);
      assert.deepEqual(await storedFaxes(root), [`broadcasts/${broadcastId}/fax.tif`]);
      // The third row takes the first's id: the store refuses it after accepting two, inside one transaction.
      const clash = [rows[0], rows[1], { ...rows[2], id: rows[0].id }];
      await assert.rejects(recordBroadcast(broadcastId, clash, book, context), (error: JsonBody) => {
        assert.equal(error.code, 'FAX_ERR_INTERNAL');
        // The store's own code for the duplicate key: SQLite's, or PostgreSQL's SQLSTATE unique_violation.
        assert.match(error.message, /the broadcast's jobs could not be recorded \((SQLITE_CONSTRAINT\w*|23505)\)/);
        return true;
      });
      assert.deepEqual(await db.selectFrom('jobs').select('id').execute(), [], 'not one row of the three');
      assert.deepEqual(await storedFaxes(root), [], 'the broadcast’s fax is gone');
    } finally {
      await conversions.close();
      await hub.flushed();
      await db.destroy();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a broadcast to 500 recipients', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    faxd = await startTestFaxd({});
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
  });
  after(() => faxd.dispose());

  it('is one request, 500 queued jobs and one converted document, gone once the broadcast is canceled', async () => {
    const list = recipients(500);
    const submitted = await api('/v1/jobs', { method: 'POST', body: { recipients: list, documents } });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const { broadcastId, jobIds } = submitted.body as { broadcastId: string; jobIds: string[] };
    assert.deepEqual(Object.keys(submitted.body).sort(), ['broadcastId', 'jobIds']);
    assert.equal(jobIds.length, 500);
    assert.equal(new Set(jobIds).size, 500);

    // Each recipient is its own job, in entry order, announced as if submitted alone.
    const jobs = (await api(`/v1/jobs?broadcast=${broadcastId}`)).body as JsonBody[];
    assert.deepEqual(
      jobs.map((job) => job.jobId),
      jobIds,
    );
    for (const [i, job] of jobs.entries()) {
      assert.equal(job.status, S.fjsPENDING);
      assert.equal(job.broadcastId, broadcastId);
      assert.equal(job.recipientNumber, list[i].number);
      assert.equal(job.recipientName, list[i].name);
      assert.equal(job.pages, 1);
    }
    const added = faxd.events.filter((e) => e.event === 'outgoingJobAdded').map((e) => ('jobId' in e ? e.jobId : ''));
    assert.deepEqual(added, jobIds);
    const alone = await api('/v1/jobs', { method: 'POST', body: { to: '5550199', documents } });
    assert.equal(alone.body.broadcastId, null, 'a job submitted with to belongs to no broadcast');
    assert.equal((await api(`/v1/jobs?broadcast=${broadcastId}`)).body.length, 500, 'the filter leaves it out');

    // One converted document on disk for the 500 (and the lone job's own), read by every job's fjoVIEW.
    const broadcastFax = `broadcasts/${broadcastId}/fax.tif`;
    assert.deepEqual(await storedFaxes(faxd.dataDir), [broadcastFax, `jobs/${alone.body.jobId}/fax.tif`].sort());
    const stored = await readFile(join(faxd.dataDir, broadcastFax));
    for (const jobId of [jobIds[0], jobIds[499]]) {
      const viewed = await fetch(`${faxd.url}/v1/jobs/${jobId}/document.tif`);
      assert.equal(viewed.status, 200);
      assert.deepEqual(Buffer.from(await viewed.arrayBuffer()), stored);
    }
    assert.equal(readTiff(new Uint8Array(stored)).length, 1);

    const queued = (await api(`/v1/broadcasts/${broadcastId}`)).body;
    assert.equal(queued.broadcastId, broadcastId);
    assert.equal(queued.submittedTime, jobs[0].submissionTime);
    assert.match(queued.submittedTime, /Z$/);
    assert.deepEqual(queued.recipients[7], { jobId: jobIds[7], number: list[7].number, name: list[7].name, status: 1 });
    assert.deepEqual(queued.counts, { queued: 500, inProgress: 0, completed: 0, failed: 0, canceled: 0 });

    // A paused job is still queued; canceling the broadcast cancels it with the rest.
    assert.equal((await api(`/v1/jobs/${jobIds[3]}/pause`, { method: 'POST' })).status, 200);
    assert.equal((await api(`/v1/broadcasts/${broadcastId}`)).body.recipients[3].status, S.fjsPENDING | S.fjsPAUSED);
    const canceled = await api(`/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST' });
    assert.equal(canceled.status, 200);
    assert.deepEqual(canceled.body.counts, { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 500 });
    assert.ok(canceled.body.recipients.every((r: JsonBody) => r.status === S.fjsCANCELED));

    // The broadcast's document has gone with its last queued job; the outbox keeps each job's fax as a hard link to
    // that one file, not a copy.
    assert.deepEqual(await readdir(join(faxd.dataDir, 'broadcasts')), []);
    const archived = (await storedFaxes(faxd.dataDir)).filter((path) => path !== `jobs/${alone.body.jobId}/fax.tif`);
    assert.equal(archived.length, 500);
    const inodes = new Set<number>();
    for (const path of archived) {
      const info = await stat(join(faxd.dataDir, path));
      inodes.add(info.ino);
      assert.equal(info.nlink, 500, path);
    }
    assert.equal(inodes.size, 1, 'one file on disk');
    const outboxFax = await fetch(`${faxd.url}/v1/outbox/${jobIds[250]}/document.tif`);
    assert.deepEqual(Buffer.from(await outboxFax.arrayBuffer()), stored);
    const viewed = await fetch(`${faxd.url}/v1/jobs/${jobIds[250]}/document.tif`);
    assert.deepEqual(Buffer.from(await viewed.arrayBuffer()), stored);

    // Canceling again changes nothing; the single job stays queued.
    const again = await api(`/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST' });
    assert.deepEqual(again.body, canceled.body);
    assert.equal((await api(`/v1/jobs/${alone.body.jobId}`)).body.status, S.fjsPENDING);
  });
});

describe('a broadcast across a restart', () => {
  let dataDir = '';
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps its fax while a job is queued, and a directory no job refers to goes', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-broadcast-restart-'));
    const first = await startTestFaxd({}, dataDir);
    let broadcastId: string;
    let jobIds: string[];
    try {
      await requestJson(first.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
      const submitted = await requestJson(first.url, '/v1/jobs', {
        method: 'POST',
        body: { recipients: recipients(2), documents },
      });
      ({ broadcastId, jobIds } = submitted.body);
      assert.equal((await requestJson(first.url, `/v1/jobs/${jobIds[0]}/cancel`, { method: 'POST' })).status, 200);
    } finally {
      await first.close();
    }
    // What a submission cut short by a crash leaves: its files, and no job.
    const orphan = join(dataDir, 'broadcasts', '0123456789ab');
    await mkdir(orphan, { recursive: true });
    await writeFile(join(orphan, 'fax.tif'), 'II*\0');

    const second = await startTestFaxd({}, dataDir);
    try {
      assert.deepEqual(await storedFaxes(dataDir), [`broadcasts/${broadcastId}/fax.tif`, `jobs/${jobIds[0]}/fax.tif`]);
      const viewed = await fetch(`${second.url}/v1/jobs/${jobIds[1]}/document.tif`);
      assert.equal(viewed.status, 200);
      const { body } = await requestJson(second.url, `/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST' });
      assert.deepEqual(body.counts, { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 2 });
      assert.deepEqual(await storedFaxes(dataDir), jobIds.map((jobId) => `jobs/${jobId}/fax.tif`).sort());
    } finally {
      await second.dispose();
    }
  });
});
