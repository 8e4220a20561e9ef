// faxd's t38 line against SpanDSP's T.38 terminal (the C peer under interop/spandsp): a job sent through the whole
// server arrives at SpanDSP pixel for pixel, and a fax SpanDSP sends arrives in faxd's inbox with its TSI and pages.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { firstInboxFax, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { buildSpandspPeer, runSpandspPeer } from '../testing/spandsp-peer.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';

const NOTE = 'A fax for SpanDSP.\n\fIts second page.\n';

describe('a t38 line and SpanDSP', () => {
  let work = '';
  const servers: TestFaxd[] = [];
  before(async () => {
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-spandsp-line-'));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
    await rm(work, { recursive: true, force: true });
  });

  async function lineToPeer() {
    const [own, peer] = [await freeUdpPort(), await freeUdpPort()];
    const faxd = await startTestFaxd({
      // No header line: what SpanDSP receives must equal the document exactly.
      outboundQueue: { headerTemplate: '' },
      lines: [
        { id: 7, kind: 't38', bind: `127.0.0.1:${own}`, peer: `127.0.0.1:${peer}`, tsid: 'FAXD 7', csid: 'FAXD 7' },
      ],
    });
    servers.push(faxd);
    return { faxd, own, peer };
  }

  it('sends a job to SpanDSP, which receives it pixel for pixel', async () => {
    const { faxd, own, peer } = await lineToPeer();
    const received = join(work, 'at-spandsp.tif');
    const spandsp = runSpandspPeer({
      mode: 'receive',
      file: received,
      bindPort: peer,
      peerPort: own,
      ident: 'SPANDSP RX',
    });
    const { body } = await requestJson(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: { to: '100', documents: [{ name: 'note.txt', contentBase64: Buffer.from(NOTE).toString('base64') }] },
    });
    const job = await waitFor('the job to end', async () => {
      const current = (await requestJson(faxd.url, `/v1/jobs/${body.jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    const result = await spandsp;
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(job.csid, 'SPANDSP RX', "the remote's CSI");
    assert.ok(result.ok, result.completionText);
    assert.equal(result.pagesRx, 2);
    assert.equal(result.remoteIdent, 'FAXD 7');
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    for (const [i, page] of libtiffPages(received, 2).entries()) {
      assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1}`);
    }
  });

  it('receives a fax SpanDSP sends into the inbox, with its TSI and pages', async () => {
    const { faxd, own, peer } = await lineToPeer();
    const text = `${NOTE}\fA third page.\n`;
    const sender = await startSpandspSender({
      text,
      directory: work,
      peerPort: own,
      bindPort: peer,
      ident: 'SPANDSP TX',
    });
    const { pages } = sender;
    const result = await sender.result;
    assert.ok(result.ok, result.completionText);
    const { message, pages: stored } = await firstInboxFax(faxd.url);
    assert.equal(message.tsid, 'SPANDSP TX');
    assert.equal(message.pages, 3);
    assert.equal(message.partial, false);
    assert.equal(stored.length, 3);
    for (const [i, page] of stored.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
  });
});
