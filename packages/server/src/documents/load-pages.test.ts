import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DecodeError } from '@faxd/protocol/bits/decode-error';
import { formFeeds, simplePdf, tiffDeclaring } from '@faxd/protocol/testing/hostile-documents';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { writeTinyTiff } from '@faxd/protocol/testing/tiny-tiff';
import fc from 'fast-check';
import sharp from 'sharp';
import { DocumentError, type DocumentLimitName } from '../render/document-error.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget, type DocumentLimits } from '../render/document-limits.js';
import { PdfPages } from '../render/pdf-pages.js';
import { convertToFax, DocumentFailure } from './fax-conversion.js';
import { loadDocumentPages } from './load-pages.js';

const letterPdf = readFileSync(join(repoRoot(), 'samples', 'letter.pdf'));
const text = (pages: number) => new TextEncoder().encode(Array(pages).fill('page').join('\f'));

function budget(limits: Partial<DocumentLimits> = {}, now?: () => number): DocumentBudget {
  return new DocumentBudget({ ...DEFAULT_DOCUMENT_LIMITS, ...limits }, now);
}

/** Asserts the load is refused as too large for `limit`, with a message naming it. */
async function refused(load: Promise<unknown>, limit: DocumentLimitName, message: RegExp): Promise<void> {
  await assert.rejects(load, (error: unknown) => {
    assert.ok(error instanceof DocumentError, `a DocumentError, not ${error}`);
    assert.equal(error.reason, 'too-large');
    assert.equal(error.limit, limit);
    assert.match(error.message, message);
    return true;
  });
}

/** Counts the PDF pages drawn on this thread while `run` runs. */
async function pagesDrawnDuring(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const draw = PdfPages.prototype.draw;
  PdfPages.prototype.draw = function (this: PdfPages, index: number) {
    count++;
    return draw.call(this, index);
  };
  try {
    await run().catch(() => {});
  } finally {
    PdfPages.prototype.draw = draw;
  }
  return count;
}

describe('document limits, checked before the expensive step', () => {
  it('refuses 2 KB of form feeds by their page count, under the default limits', async () => {
    await refused(
      loadDocumentPages(formFeeds(2048), { paper: 'a4' }),
      'pagesPerJob',
      /^2049 pages, over the limit of 500 pages per job$/,
    );
  });

  it('refuses a TIFF declaring 8 pages of 16000 x 16000 from its directories', async () => {
    await refused(
      loadDocumentPages(tiffDeclaring(8, 16000, 16000), { paper: 'a4' }),
      'pixelsPerPage',
      /^page 1 is 16000 x 16000 pixels, over the limit of 50000000 pixels per page$/,
    );
  });

  it('holds a fax page kept as it is to its bytes, not its pixels', async () => {
    // 1728 x 30000 is over 50 megapixels, but a fax page: 6.5 MB of bitmap, never resampled.
    const [long] = await loadDocumentPages(tiffDeclaring(1, 1728, 30_000), { paper: 'a4' });
    assert.deepEqual([long.width, long.height], [1728, 30_000]);
    // The same pixels at a width no fax has would be resampled pixel by pixel: refused for its pixels.
    await refused(loadDocumentPages(tiffDeclaring(1, 3000, 17_280), { paper: 'a4' }), 'pixelsPerPage', /3000 x 17280/);
  });

  it('refuses a 10,000-page PDF from its page count, drawing no page', async () => {
    const pdf = simplePdf(10_000);
    const drawn = await pagesDrawnDuring(() =>
      refused(loadDocumentPages(pdf, { paper: 'a4' }), 'pagesPerJob', /^10000 pages/),
    );
    assert.equal(drawn, 0);
    assert.equal(await pagesDrawnDuring(() => loadDocumentPages(simplePdf(3), { paper: 'a4' })), 3, 'the count sees');
  });

  it('refuses an image larger than the pixel limit from its header', async () => {
    const png = await sharp({ create: { width: 100, height: 80, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    await refused(
      loadDocumentPages(png, { paper: 'a4', budget: budget({ pixelsPerPage: 7999 }) }),
      'pixelsPerPage',
      /^page 1 is 100 x 80 pixels/,
    );
    const pages = await loadDocumentPages(png, { paper: 'a4', budget: budget({ pixelsPerPage: 8000 }) });
    assert.equal(pages.length, 1, 'at the limit it converts');
  });

  it('holds decoded bytes to the page and document limits', async () => {
    // A 1728-pixel row is 216 bytes: 100 rows are 21,600 bytes a page.
    const tiff = tiffDeclaring(3, 1728, 100);
    await refused(
      loadDocumentPages(tiff, { paper: 'a4', budget: budget({ bytesPerPage: 21_599 }) }),
      'bytesPerPage',
      /page 1 takes 21600 bytes/,
    );
    await refused(
      loadDocumentPages(tiff, { paper: 'a4', budget: budget({ bytesPerDocument: 43_200 }) }),
      'bytesPerDocument',
      /pages up to 3 take 64800 bytes/,
    );
    assert.equal(
      (await loadDocumentPages(tiff, { paper: 'a4', budget: budget({ bytesPerDocument: 64_800 }) })).length,
      3,
    );
  });

  it('stops starting pages once the conversion is out of time', async () => {
    let now = 0;
    // Every look at the clock finds a second gone: page 1 starts at 1 s, page 2 at 2 s, past the limit.
    const slow = budget({ conversionSeconds: 1 }, () => now++ * 1000);
    await refused(loadDocumentPages(text(3), { paper: 'a4', budget: slow }), 'conversionSeconds', /ran out of time/);
  });

  it('counts pages across the documents of one job, naming the one that went past', async () => {
    const options = { paper: 'a4', compression: 'mmr', dateTime: new Date(0) } as const;
    const limits = { ...DEFAULT_DOCUMENT_LIMITS, pagesPerJob: 4 };
    const error = await convertToFax([text(2), letterPdf, text(1)], { ...options, limits }).then(
      () => assert.fail('converted'),
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof DocumentFailure);
    assert.equal(error.index, 2);
    assert.equal((error.cause as DocumentError).limit, 'pagesPerJob');
    assert.equal((await convertToFax([text(2), letterPdf], { ...options, limits })).pages.length, 4);
  });

  it('turns any small crafted TIFF into pages or a typed refusal, never another error', async () => {
    const limits = { ...DEFAULT_DOCUMENT_LIMITS, pixelsPerPage: 4_000_000, bytesPerPage: 1_000_000 };
    const options = { paper: 'a4', compression: 'mmr', dateTime: new Date(0), limits } as const;
    const image = fc.record({
      width: fc.constantFrom(1, 2, 7, 8, 100, 1728, 2048, 2592, 3000, 65535, 70000),
      height: fc.constantFrom(1, 3, 100, 2339, 30000, 65536, 65537, 2 ** 28),
      compression: fc.constantFrom(1, 3, 4, 5, 32773),
      fillOrder: fc.constantFrom(1, 2, 3),
      t4Options: fc.integer({ min: 0, max: 7 }),
      data: fc.uint8Array({ maxLength: 120 }),
    });
    const resolution = fc.tuple(fc.nat(5000), fc.nat(5000));
    await fc.assert(
      fc.asyncProperty(image, fc.integer({ min: 1, max: 3 }), fc.option(resolution), async (fields, pages, dpi) => {
        const tiff = writeTinyTiff(fields, pages);
        if (dpi) {
          // The XResolution rational, as a crafted file may write it: zeros included.
          const view = new DataView(tiff.buffer);
          view.setUint32(tiff.length - fields.data.length - 16, dpi[0], true);
          view.setUint32(tiff.length - fields.data.length - 12, dpi[1], true);
        }
        const error = await convertToFax([tiff], options).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        if (error === undefined) return;
        assert.ok(error instanceof DocumentFailure, `a DocumentFailure, not ${error}`);
        assert.ok(
          error.cause instanceof DocumentError || error.cause instanceof DecodeError,
          `a typed refusal, not ${error.cause}`,
        );
      }),
      { numRuns: 150 },
    );
  });
});
