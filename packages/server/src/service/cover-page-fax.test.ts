// Cover pages through the whole server (issue 15): a fax with a cover from a template of the configured folder goes
// over the loopback lines, FaxJobStatus counts the cover among its pages, and the first page received is the cover
// the test expects, pixel for pixel below the header line; a broadcast draws one cover per job over one stored copy of
// its documents; an unknown template is refused with no job and no file left behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type FaxStatus, isFinal } from '@faxd/contract';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import { loadDocumentPages } from '../documents/load-pages.js';
import { drawnText, FINE_HEADER_ROWS, samePixelsBelow } from '../testing/drawn-text.js';
import { firstInboxFax, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

const S = FAX_JOB_STATUS_ENUM;
const BODY = 'The body of a fax with a cover page.\n';
const MEMO = [
  'MEMO for {recipientName} at {recipientNumber}',
  'from {senderName}, {senderCompany} (fax {senderFaxNumber}, phone {senderVoiceNumber})',
  'Re: {subject}        {pages} pages',
  '    {note}',
  '',
].join('\n');
function samePage(actual: BilevelPage, expected: BilevelPage, what: string): void {
  assert.ok(samePixelsBelow(actual, expected), `${what}: the size and the pixels`);
}

async function jobTiffPages(base: string, jobId: string): Promise<{ bytes: number; pages: BilevelPage[] }> {
  const response = await fetch(`${base}/v1/jobs/${jobId}/document.tif`);
  assert.equal(response.status, 200);
  const tiff = new Uint8Array(await response.arrayBuffer());
  return { bytes: tiff.length, pages: readTiff(tiff).map((entry) => entry.page) };
}

describe('cover pages', () => {
  let faxd: TestFaxd;
  let folder: string;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  const documents = [{ name: 'body.txt', contentBase64: Buffer.from(BODY).toString('base64') }];

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'faxd-covers-'));
    await writeFile(join(folder, 'memo.txt'), MEMO);
    faxd = await startTestFaxd({
      coverPages: { folder, sender: { company: 'Config Corp', voiceNumber: '+1 555 0199' } },
      lines: [1, 2].map((id) => ({ id, kind: 'loopback' })),
    });
  });
  after(async () => {
    await faxd.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it('sends the cover ahead of the documents, counted in the pages, as the first page received', async () => {
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      body: {
        coverPage: { template: 'memo', subject: 'Quarterly figures', note: 'Two lines\nof note.' },
        senderName: 'Alice',
        senderFaxNumber: '+1 555 0101',
        to: '+1 555 0102',
        recipientName: 'Bob',
        documents,
        line: 1,
      },
    });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.pages, 2, 'FaxJobStatus pages: the cover and the document');
    const { jobId } = submitted.body;
    const stored = await jobTiffPages(faxd.url, jobId);
    assert.equal(stored.pages.length, 2);
    assert.equal(submitted.body.size, stored.bytes, 'FaxJobStatus size: the bytes of the fax with its cover');

    const pageCounts = new Set<number>();
    const job = await waitFor('the job to end', async () => {
      const [sending] = (await api('/v1/status')).body as FaxStatus[];
      if (sending?.pageCount != null) pageCounts.add(sending.pageCount);
      const current = (await api(`/v1/jobs/${jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    assert.equal(job.status, S.fjsCOMPLETED);
    assert.equal(job.pages, 2);
    assert.deepEqual([...pageCounts], [2], 'FaxStatus pageCount while sending counts the cover');
    assert.equal(job.currentPage, 2);

    // The sender's company and voice number are the configuration's, the rest the submission's.
    const cover = await drawnText(
      [
        'MEMO for Bob at +1 555 0102',
        'from Alice, Config Corp (fax +1 555 0101, phone +1 555 0199)',
        'Re: Quarterly figures        2 pages',
        '    Two lines',
        '    of note.',
        '',
      ].join('\n'),
    );
    const body = (await loadDocumentPages(new TextEncoder().encode(BODY), { paper: 'a4' }))[0] as BilevelPage;
    samePage(stored.pages[0] as BilevelPage, cover, 'the stored cover');
    samePage(stored.pages[1] as BilevelPage, body, 'the stored document');

    const { message, pages } = await firstInboxFax(faxd.url);
    assert.equal(message.pages, 2);
    assert.equal(pages.length, 2);
    const [first, second] = pages as [BilevelPage, BilevelPage];
    assert.ok(
      samePixelsBelow(first, cover, FINE_HEADER_ROWS),
      'the first page received is the cover, below the header',
    );
    assert.ok(samePixelsBelow(second, body, FINE_HEADER_ROWS), 'the second is the document');

    // The outbox keeps the fax as it went: cover first.
    const outbox = (await api('/v1/outbox')).body as { id: string; jobId: string }[];
    const sent = outbox.find((each) => each.jobId === jobId);
    assert.ok(sent);
    const archived = await fetch(`${faxd.url}/v1/outbox/${sent.id}/document.tif`);
    const archivedPages = readTiff(new Uint8Array(await archived.arrayBuffer())).map((entry) => entry.page);
    samePage(archivedPages[0] as BilevelPage, cover, 'the archived cover');
  });

  it("draws each broadcast job's cover for its own recipient over one copy of the documents", async () => {
    const submitted = await api('/v1/jobs', {
      method: 'POST',
      body: {
        recipients: [
          { number: '5550201', name: 'First' },
          { number: '5550202', name: 'Second' },
        ],
        scheduledAt: '2099-01-01T00:00:00Z',
        senderName: 'Alice',
        coverPage: { template: 'memo', subject: 'To all' },
        documents,
      },
    });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const { broadcastId, jobIds } = submitted.body as { broadcastId: string; jobIds: string[] };
    for (const [i, jobId] of jobIds.entries()) {
      const job = (await api(`/v1/jobs/${jobId}`)).body;
      assert.equal(job.pages, 2);
      const { bytes, pages } = await jobTiffPages(faxd.url, jobId);
      assert.equal(job.size, bytes);
      const name = i === 0 ? 'First' : 'Second';
      const expected = await drawnText(
        [
          `MEMO for ${name} at 555020${i + 1}`,
          'from Alice, Config Corp (fax , phone +1 555 0199)',
          'Re: To all        2 pages',
          '    ',
          '',
        ].join('\n'),
      );
      samePage(pages[0] as BilevelPage, expected, `the cover of ${name}`);
      // The job keeps only its cover; the documents stay the broadcast's one copy while it is queued.
      assert.deepEqual(await readdir(faxd.service.files.jobDirectory(jobId)), ['cover.tif']);
    }
    assert.ok(existsSync(faxd.service.files.broadcastFax(broadcastId)));
    const canceled = await api(`/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST' });
    assert.equal(canceled.status, 200);
    // Once no job is queued the broadcast's copy goes; each job keeps its cover beside its link to the documents.
    const files = faxd.service.files;
    await waitFor('the broadcast to be released', () =>
      existsSync(files.broadcastDirectory(broadcastId)) ? undefined : true,
    );
    for (const jobId of jobIds) {
      assert.deepEqual((await readdir(files.jobDirectory(jobId))).filter((name) => name.endsWith('.tif')).sort(), [
        'cover.tif',
        'fax.tif',
      ]);
      assert.equal((await jobTiffPages(faxd.url, jobId)).pages.length, 2);
    }
  });

  it('previews the cover page ahead of the documents when asked for', async () => {
    const preview = (body: object) => api('/v1/previews', { method: 'POST', body: { documents, ...body } });
    const plain = await preview({ to: '5550100' });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.pages.length, 1);
    const covered = await preview({ to: '5550100', recipientName: 'Bob', coverPage: { template: 'memo' } });
    assert.equal(covered.status, 200, JSON.stringify(covered.body));
    assert.equal(covered.body.pages.length, 2);
    const [cover, page] = covered.body.pages as { pngBase64: string; height: number }[];
    assert.ok(cover?.pngBase64 !== page?.pngBase64, 'a cover page, then the document');
    assert.equal(cover?.height, plain.body.pages[0].height);
    const unknown = await preview({ coverPage: { template: 'no-such-page' } });
    assert.equal(unknown.body.error.code, 'FAX_ERR_COVER_PAGE_NOT_FOUND');
  });

  it('describes coverPage and the sender fields in /openapi.json', async () => {
    const { body } = await api('/openapi.json');
    const submission = body.paths['/v1/jobs'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(submission.properties.coverPage.properties), ['template', 'subject', 'note']);
    for (const field of ['senderCompany', 'senderFaxNumber', 'senderVoiceNumber']) {
      assert.equal(submission.properties[field].type, 'string', field);
    }
  });

  it('refuses an unknown template, and a note the page cannot hold, leaving no job and no file', async () => {
    const before = (await api('/v1/jobs?all=true')).body.length;
    const jobsDirectory = join(faxd.dataDir, 'jobs');
    const listed = async (directory: string) => (existsSync(directory) ? (await readdir(directory)).sort() : []);
    const filesBefore = await listed(jobsDirectory);
    const broadcastsBefore = await listed(faxd.service.files.broadcastsDirectory);
    const unknown = await api('/v1/jobs', {
      method: 'POST',
      body: { to: '2', line: 1, coverPage: { template: 'no-such-page' }, documents },
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'FAX_ERR_COVER_PAGE_NOT_FOUND');
    assert.match(unknown.body.error.message, /no-such-page/);
    assert.equal(unknown.body.error.details.field, 'coverPage.template');
    const broadcast = await api('/v1/jobs', {
      method: 'POST',
      body: { recipients: [{ number: '5550301' }], coverPage: { template: 'nope' }, documents },
    });
    assert.equal(broadcast.body.error.code, 'FAX_ERR_COVER_PAGE_NOT_FOUND');
    const path = await api('/v1/jobs', {
      method: 'POST',
      body: { to: '2', coverPage: { template: '../memo' }, documents },
    });
    assert.equal(path.status, 400, 'a name that is a path is not a template name');
    const long = await api('/v1/jobs', {
      method: 'POST',
      body: { to: '2', coverPage: { note: 'a line\n'.repeat(60) }, documents },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.details.field, 'coverPage');
    assert.equal((await api('/v1/jobs?all=true')).body.length, before);
    assert.deepEqual(await listed(jobsDirectory), filesBefore);
    assert.deepEqual(await listed(faxd.service.files.broadcastsDirectory), broadcastsBefore);
  });
});
