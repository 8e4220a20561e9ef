// Submissions against a real faxd through its HTTP API: a long PDF rendered off the event loop; documents that ask for
// too much refused with a 4xx naming what they went past, before the expensive step, leaving no file behind; a burst
// queued or told to come back; a submission whose files cannot be stored refused without showing a path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTiff, samePixels } from '@faxd/protocol';
import { formFeeds, simplePdf, tiffDeclaring } from '@faxd/protocol/testing/hostile-documents';
import { repoRoot } from '@faxd/protocol/testing/paths';
import sharp from 'sharp';
import { parseFaxdConfig } from '../config/faxd-config.js';
import { ConversionThread } from '../documents/conversion-thread.js';
import { loadDocumentPages } from '../documents/load-pages.js';
import { PdfPages } from '../render/pdf-pages.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { repeatedLetterPdf } from '../testing/letter-pdf.js';
import { DataFiles } from './data-files.js';
import type { JobBook } from './job-book.js';
import { prepareSubmission, recordSubmission } from './job-submission.js';

/**
 * Counts the PDF pages drawn on this thread, which is also the server's: the faxd under test runs in this process,
 * sharing this module instance of PdfPages, while a worker thread loads modules of its own that the count cannot see.
 */
function countPagesDrawnHere(): { readonly count: number } {
  const counter = { count: 0 };
  const draw = PdfPages.prototype.draw;
  PdfPages.prototype.draw = function (this: PdfPages, index: number) {
    counter.count++;
    return draw.call(this, index);
  };
  return counter;
}

/** Every file under `dir` (none when it does not exist), as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length));
}

/** An absolute path anywhere in a message: what no error may show a client. */
const ABSOLUTE_PATH = /(^|[\s('"])\/[\w.-]+\//;

function submission(name: string, bytes: Uint8Array, to = '5550100') {
  return { to, documents: [{ name, contentBase64: Buffer.from(bytes).toString('base64') }] };
}

describe('job submission', () => {
  let faxd: TestFaxd;

  before(async () => {
    faxd = await startTestFaxd();
    const paused = await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    assert.equal(paused.status, 200);
  });
  after(() => faxd.dispose());

  // Drawing and coding 100 pages takes the better part of a second of CPU; done on the server's thread it would hold
  // up T.38 timers and paced UDPTL of calls in progress for that long. What shows it is not done there is structural:
  // not one page is drawn on this thread. (That the server answers other requests before the submission completes
  // would not show it: the submission path waits on file writes and the like, where such requests slip in anyway.)
  it('renders a 100-page PDF off the event loop, storing every page', async () => {
    const pdf = repeatedLetterPdf(50);
    const drawnHere = countPagesDrawnHere();
    const submitted = await requestJson(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: { to: '5550100', documents: [{ name: 'letters.pdf', contentBase64: pdf.toString('base64') }] },
    });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.pages, 100);
    assert.equal(drawnHere.count, 0, 'no page drawn on the server thread');

    const stored = readTiff(readFileSync(join(faxd.dataDir, 'jobs', submitted.body.jobId, 'fax.tif')));
    const [first, second] = await loadDocumentPages(readFileSync(join(repoRoot(), 'samples', 'letter.pdf')), {
      paper: 'a4',
    });
    assert.ok(drawnHere.count > 0, 'pages drawn here are counted');
    assert.equal(stored.length, 100);
    for (const [i, { page, info }] of stored.entries()) {
      assert.equal(info.yResolution, 196, `page ${i + 1} at fine resolution`);
      assert.ok(samePixels(page, i % 2 === 0 ? first : second), `page ${i + 1} as the letter's`);
    }
  });

  const cases: [string, () => Promise<Uint8Array>, number, string, string | undefined][] = [
    [
      'a TIFF declaring 8 pages of 16000 x 16000',
      async () => tiffDeclaring(8, 16000, 16000),
      413,
      'FAX_ERR_DOCUMENT_TOO_LARGE',
      'pixelsPerPage',
    ],
    ['a TIFF page 1 x 2^28', async () => tiffDeclaring(1, 1, 2 ** 28), 422, 'FAX_ERR_DOCUMENT_UNREADABLE', undefined],
    ['2 KB of form feeds', async () => formFeeds(2048), 413, 'FAX_ERR_DOCUMENT_TOO_LARGE', 'pagesPerJob'],
    ['a PDF of 10,000 pages', async () => simplePdf(10_000), 413, 'FAX_ERR_DOCUMENT_TOO_LARGE', 'pagesPerJob'],
    [
      'a 100-megapixel PNG',
      () =>
        sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#ffffff' } })
          .png()
          .toBuffer(),
      413,
      'FAX_ERR_DOCUMENT_TOO_LARGE',
      'pixelsPerPage',
    ],
  ];
  for (const [what, make, status, code, limit] of cases) {
    it(`refuses ${what} with ${status} ${code}, leaving no file`, async () => {
      const files = await filesUnder(join(faxd.dataDir, 'jobs'));
      const jobs = (await requestJson(faxd.url, '/v1/jobs?all=true')).body;
      const { status: answered, body } = await requestJson(faxd.url, '/v1/jobs', {
        method: 'POST',
        body: submission('hostile', await make()),
      });
      assert.equal(answered, status, JSON.stringify(body));
      assert.equal(body.error.code, code);
      assert.match(body.error.message, /^Document hostile /);
      if (limit !== undefined) {
        assert.equal(body.error.details.limit, limit);
        assert.ok(body.error.message.includes(`(limits.${limit})`), body.error.message);
      }
      assert.doesNotMatch(body.error.message, ABSOLUTE_PATH);
      assert.deepEqual(await filesUnder(join(faxd.dataDir, 'jobs')), files);
      assert.deepEqual((await requestJson(faxd.url, '/v1/jobs?all=true')).body, jobs);
    });
  }

  it('holds a submission to the configured limits', async () => {
    const strict = await startTestFaxd({ limits: { pagesPerJob: 2 } });
    try {
      const three = new TextEncoder().encode('one\ftwo\fthree\n');
      const { status, body } = await requestJson(strict.url, '/v1/jobs', {
        method: 'POST',
        body: submission('three.txt', three),
      });
      assert.equal(status, 413);
      assert.equal(
        body.error.message,
        'Document three.txt is larger than the limit of 2 pages per job (limits.pagesPerJob)',
      );
      assert.deepEqual(body.error.details, {
        limit: 'pagesPerJob',
        value: 2,
        reason: '3 pages, over the limit of 2 pages per job',
      });
    } finally {
      await strict.dispose();
    }
  });

  it('answers a burst with jobs or 503 and Retry-After, and every accepted job is stored', async () => {
    // A full page of text each: drawing it takes the conversion thread long enough that the burst outruns it, however
    // quickly the server takes the requests in.
    const fullPage = (i: number) =>
      new TextEncoder().encode(`Note ${i}.\n${'A line of text across the page.\n'.repeat(60)}`);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const response = await fetch(`${faxd.url}/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(submission(`note-${i}.txt`, fullPage(i))),
        });
        return {
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: (await response.json()) as JsonBody,
        };
      }),
    );
    const accepted = answers.filter((answer) => answer.status === 201);
    const busy = answers.filter((answer) => answer.status === 503);
    assert.equal(accepted.length + busy.length, answers.length, 'nothing but jobs and 503');
    // Two hundred at once outrun one conversion thread with 64 places waiting.
    assert.ok(busy.length > 0, 'the queue was full for some');
    for (const { body, retryAfter } of busy) {
      assert.equal(body.error.code, 'FAX_ERR_SERVER_BUSY');
      assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
      assert.equal(body.error.details.retryAfterSeconds, Number(retryAfter));
    }
    const stored = new Set(
      ((await requestJson(faxd.url, '/v1/jobs?all=true')).body as JsonBody[]).map((job) => job.jobId),
    );
    for (const { body } of accepted) assert.ok(stored.has(body.jobId), `job ${body.jobId} is in the store`);
  });
});

describe('a submission whose files cannot be stored', () => {
  it('is refused without a path in its message, and what was written is removed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'faxd-unstorable-'));
    // The originals go in the job's directory; the fax's path runs through a file, so writing it fails.
    await writeFile(join(root, 'blocker'), '');
    const files = new (class extends DataFiles {
      override jobFax(): string {
        return join(this.root, 'blocker', 'fax.tif');
      }
    })(root);
    const conversions = new ConversionThread();
    try {
      const context = { config: parseFaxdConfig({}), files, conversions, now: new Date() };
      const request = submission('note.txt', new TextEncoder().encode('A note.\n'));
      await assert.rejects(prepareSubmission(request, context), (error: JsonBody) => {
        assert.equal(error.code, 'FAX_ERR_INTERNAL');
        assert.match(error.message, /the job's files could not be stored \(E[A-Z]+\)/);
        assert.doesNotMatch(error.message, ABSOLUTE_PATH);
        return true;
      });
      assert.deepEqual(await filesUnder(root), ['/blocker'], 'the original written first is gone');
    } finally {
      await conversions.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('a submission while storage is short', () => {
  /** DataFiles under a fresh directory that report `freeMegabytes` free. */
  async function filesWithFree(freeMegabytes: number): Promise<DataFiles> {
    const root = await mkdtemp(join(tmpdir(), 'faxd-short-'));
    return new (class extends DataFiles {
      override async freeBytes(): Promise<number> {
        return freeMegabytes * 2 ** 20;
      }
    })(root);
  }

  const request = submission('note.txt', new TextEncoder().encode('A note.\n'));

  it('is refused with 507 below storage.minFreeMegabytes, before anything is written, and taken above it', async () => {
    const files = await filesWithFree(60);
    const conversions = new ConversionThread();
    try {
      const refusing = { config: parseFaxdConfig({}), files, conversions, now: new Date() };
      await assert.rejects(prepareSubmission(request, refusing), (error: JsonBody) => {
        assert.equal(error.code, 'FAX_ERR_INSUFFICIENT_STORAGE');
        assert.equal(error.status, 507);
        assert.match(error.message, /60 MB free .* below storage\.minFreeMegabytes \(100\)/);
        return true;
      });
      assert.deepEqual(await filesUnder(files.root), []);
      const config = parseFaxdConfig({ storage: { minFreeMegabytes: 50 } });
      const row = await prepareSubmission(request, { config, files, conversions, now: new Date() });
      assert.ok((await filesUnder(files.jobDirectory(row.id))).includes('/fax.tif'));
    } finally {
      await conversions.close();
      await rm(files.root, { recursive: true, force: true });
    }
  });

  it('whose row the full database refuses is answered 507 and its files are removed', async () => {
    const files = await filesWithFree(1000);
    const conversions = new ConversionThread();
    const fullBook = {
      create: () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })),
    } as unknown as JobBook;
    try {
      const row = await prepareSubmission(request, {
        config: parseFaxdConfig({}),
        files,
        conversions,
        now: new Date(),
      });
      assert.notDeepEqual(await filesUnder(files.root), []);
      await assert.rejects(recordSubmission(row, fullBook, files), (error: JsonBody) => {
        assert.equal(error.code, 'FAX_ERR_INSUFFICIENT_STORAGE');
        assert.match(error.message, /the job could not be recorded \(SQLITE_FULL\)/);
        return true;
      });
      assert.deepEqual(await filesUnder(files.root), []);
    } finally {
      await conversions.close();
      await rm(files.root, { recursive: true, force: true });
    }
  });
});
