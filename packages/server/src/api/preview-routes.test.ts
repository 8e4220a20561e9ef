// POST /v1/previews against a real faxd: the preview of samples/letter.pdf is the two pages a submission of it
// stores, byte for byte; a document faxd cannot read is refused as a submission would refuse it; nothing is queued.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';

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

  it('shows the pages a submission of the same documents sends, at fax resolution', async () => {
    const documents = [{ name: 'letter.pdf', contentBase64: letter }];
    const preview = await api('/v1/previews', { method: 'POST', body: { documents } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.pages.length, 2);
    for (const page of preview.body.pages) {
      assert.deepEqual([page.width, page.xResolution, page.yResolution], [1728, 204, 196]);
    }
    assert.deepEqual((await api('/v1/jobs?all=true')).body, [], 'a preview queues nothing');

    const job = await api('/v1/jobs', { method: 'POST', body: { to: '5550100', documents } });
    assert.equal(job.status, 201);
    for (const [index, page] of preview.body.pages.entries()) {
      const stored = await fetch(`${faxd.url}/v1/jobs/${job.body.jobId}/pages/${index + 1}.png`);
      assert.equal(stored.status, 200);
      assert.deepEqual(Buffer.from(await stored.arrayBuffer()), Buffer.from(page.pngBase64, 'base64'));
    }
  });

  it('refuses what a submission refuses, with the same codes', async () => {
    const garbled = { name: 'scan.pdf', contentBase64: Buffer.from('%PDF-1.4 not really').toString('base64') };
    const unreadable = await api('/v1/previews', { method: 'POST', body: { documents: [garbled] } });
    assert.equal(unreadable.body.error.code, 'FAX_ERR_DOCUMENT_UNREADABLE');
    assert.match(unreadable.body.error.message, /scan\.pdf/);
    const empty = await api('/v1/previews', { method: 'POST', body: { documents: [] } });
    assert.equal(empty.body.error.code, 'FAX_ERR_DOCUMENT_MISSING');
  });
});
