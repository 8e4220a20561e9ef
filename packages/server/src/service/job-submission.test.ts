import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTiff, samePixels } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { loadDocumentPages } from '../documents/load-pages.js';
import { PdfPages } from '../render/pdf-pages.js';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { repeatedLetterPdf } from '../testing/letter-pdf.js';

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
});
