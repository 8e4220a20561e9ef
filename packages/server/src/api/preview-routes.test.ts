// POST /v1/previews against a real faxd: the preview of samples/letter.pdf is the two pages a submission of it
// stores, pixel for pixel, with the header line an attempt stamps in the top band; a document faxd cannot read and
// a line that does not exist are refused as a submission would refuse them; nothing is queued.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import sharp from 'sharp';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';

/** The band the header line is stamped in at fine resolution (0.2 in of 196 lpi). */
const HEADER_ROWS = 39;

/** A 1-bit PNG's pixels packed as a BilevelPage's rows (1 = black), decoded by sharp rather than by faxd. */
async function pngRows(png: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const stride = (info.width + 7) >> 3;
  const rows = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels] < 128) rows[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width: info.width, height: info.height, data: rows };
}

function band(page: { data: Uint8Array; width: number }, from: number, to?: number): Uint8Array {
  const stride = (page.width + 7) >> 3;
  return page.data.subarray(from * stride, to === undefined ? undefined : to * stride);
}

describe('POST /v1/previews', () => {
  let faxd: TestFaxd;
  let letter: string;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    faxd = await startTestFaxd();
    letter = (await readFile(`${repoRoot()}/samples/letter.pdf`)).toString('base64');
    assert.equal((await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } })).status, 200);
  });
  after(() => faxd.dispose());

  it('shows the pages a submission of the same documents sends, header line included, at fax resolution', async () => {
    const documents = [{ name: 'letter.pdf', contentBase64: letter }];
    const fields = { to: '5550100', recipientName: 'Ada', senderName: 'Bob' };
    const preview = await api('/v1/previews', { method: 'POST', body: { documents, ...fields } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.pages.length, 2);
    for (const page of preview.body.pages) {
      assert.deepEqual([page.width, page.xResolution, page.yResolution], [1728, 204, 196]);
    }
    assert.deepEqual((await api('/v1/jobs?all=true')).body, [], 'a preview queues nothing');

    const job = await api('/v1/jobs', { method: 'POST', body: { documents, ...fields } });
    assert.equal(job.status, 201);
    const tiff = await fetch(`${faxd.url}/v1/jobs/${job.body.jobId}/document.tif`);
    const stored: BilevelPage[] = readTiff(new Uint8Array(await tiff.arrayBuffer())).map(({ page }) => page);
    for (const [index, page] of preview.body.pages.entries()) {
      const shown = await pngRows(Buffer.from(page.pngBase64, 'base64'));
      assert.deepEqual([shown.width, shown.height], [stored[index].width, stored[index].height]);
      assert.deepEqual(
        band(shown, HEADER_ROWS),
        band(stored[index], HEADER_ROWS),
        `page ${index + 1} below the header`,
      );
      // The stored fax has no header (each attempt stamps its own); the preview shows the one sending would add.
      assert.ok(
        band(shown, 0, HEADER_ROWS).some((byte) => byte !== 0),
        `page ${index + 1} has a header line`,
      );
      assert.ok(
        band(stored[index], 0, HEADER_ROWS).every((byte) => byte === 0),
        'the stored page has none',
      );
    }
  });

  it('refuses what a submission refuses, with the same codes', async () => {
    const garbled = { name: 'scan.pdf', contentBase64: Buffer.from('%PDF-1.4 not really').toString('base64') };
    const unreadable = await api('/v1/previews', { method: 'POST', body: { documents: [garbled] } });
    assert.equal(unreadable.body.error.code, 'FAX_ERR_DOCUMENT_UNREADABLE');
    assert.match(unreadable.body.error.message, /scan\.pdf/);
    const empty = await api('/v1/previews', { method: 'POST', body: { documents: [] } });
    assert.equal(empty.body.error.code, 'FAX_ERR_DOCUMENT_MISSING');
    const note = { name: 'note.txt', contentBase64: Buffer.from('hello').toString('base64') };
    const noLine = await api('/v1/previews', { method: 'POST', body: { documents: [note], line: 9 } });
    assert.equal(noLine.body.error.code, 'FAX_ERR_PORT_NOT_FOUND');
  });
});
