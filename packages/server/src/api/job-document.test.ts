// What fjoVIEW offers (IFaxOutgoingJob.CopyTiff): a job's fax as TIFF and its pages as PNG, served for every job that
// offers fjoVIEW — an outbound job queued or on the line, a received fax once stored — and refused for a reception
// whose pages are still on the line; both routes are in the OpenAPI document.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_OPERATIONS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';

const VIEW = FAX_JOB_OPERATIONS_ENUM.fjoVIEW;
const PAGES = 3;

describe('a job’s pages', () => {
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
  const get = (path: string) => fetch(`${faxd.url}${path}`);

  before(async () => {
    faxd = await startTestFaxd({});
  });
  after(() => faxd.dispose());

  it('are served while the job offers fjoVIEW, and refused while a reception is on the line', async () => {
    // Short pages: the reception still has its training and every page ahead of it while the sending job is viewed.
    const text = Array(PAGES).fill('A page to view.\n'.repeat(8)).join('\f');
    const documents = [{ name: 'view.txt', contentBase64: Buffer.from(text).toString('base64') }];
    const { body: job } = await api('/v1/jobs', { method: 'POST', body: { to: '2', line: 1, documents } });
    const incomingId = await waitFor('the reception to start', () => {
      const added = faxd.events.find((e) => e.event === 'incomingJobAdded');
      return added && 'jobId' in added ? added.jobId : undefined;
    });

    const sending = (await api(`/v1/jobs/${job.jobId}`)).body;
    assert.equal(sending.availableOperations & VIEW, VIEW);
    const tiff = await get(`/v1/jobs/${job.jobId}/document.tif`);
    assert.equal(tiff.status, 200);
    assert.equal(tiff.headers.get('content-type'), 'image/tiff');
    assert.equal(readTiff(new Uint8Array(await tiff.arrayBuffer())).length, PAGES);
    const png = await get(`/v1/jobs/${job.jobId}/pages/${PAGES}.png`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.equal(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
      'PNG',
    );
    const beyond = await api(`/v1/jobs/${job.jobId}/pages/${PAGES + 1}.png`);
    assert.equal(beyond.status, 404);
    assert.equal(beyond.body.error.code, 'FAX_ERR_NOT_FOUND');

    const receiving = (await api(`/v1/jobs/${incomingId}`)).body;
    assert.equal(receiving.status, FAX_JOB_STATUS_ENUM.fjsINPROGRESS, 'the reception is still on the line');
    assert.equal(receiving.availableOperations & VIEW, 0, 'nothing to view yet');
    const refused = await api(`/v1/jobs/${incomingId}/document.tif`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'FAX_ERR_OPERATION_NOT_ALLOWED');

    const received = await waitFor('the fax to be stored', async () => {
      const current = (await api(`/v1/jobs/${incomingId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    assert.equal(received.availableOperations & VIEW, VIEW);
    const stored = await get(`/v1/jobs/${incomingId}/document.tif`);
    assert.deepEqual(
      new Uint8Array(await stored.arrayBuffer()),
      new Uint8Array(await readFile(faxd.service.files.inboxFax(incomingId, 'tif'))),
    );
  });

  it('have their routes in the OpenAPI document', async () => {
    const { paths } = (await api('/openapi.json')).body;
    assert.ok(paths['/v1/jobs/{id}/document.tif']?.get, 'document.tif');
    assert.ok(paths['/v1/jobs/{id}/pages/{page}.png']?.get, 'pages/{page}.png');
  });
});
