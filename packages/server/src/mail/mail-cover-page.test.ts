// The mail gateway's cover pages (issue 15 item 2): with `mailGateway.coverPage`, a mail sent by Python's smtplib
// becomes a fax whose first page is the default cover page with the mail's subject (without it, mail-gateway.test.ts
// shows, none).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import { drawnText, samePixelsBelow } from '../testing/drawn-text.js';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { smtpSend } from '../testing/smtp-sink.js';

describe('the mail gateway with coverPage', () => {
  let work: string;
  let faxd: TestFaxd;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'faxd-mail-cover-'));
    await writeFile(join(work, 'default.txt'), 'Mailed by {senderName}: {subject}\n');
    faxd = await startTestFaxd({
      coverPages: { folder: work },
      mailGateway: { listen: '127.0.0.1:0', domain: 'fax.example', allowFrom: ['@example.org'], coverPage: true },
    });
  });
  after(async () => {
    await faxd.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it("puts the folder's default cover page with the mail's subject ahead of the mail's text", async () => {
    const answer = await smtpSend({
      port: faxd.mailGateway?.port ?? 0,
      from: 'Bob Builder <bob@example.org>',
      to: ['5550100@fax.example'],
      subject: 'Plans for Monday',
      text: 'The plans are on their way.',
    });
    assert.equal(answer.accepted, true, JSON.stringify(answer));
    const jobId = /Queued as fax job (\S+)$/.exec(answer.data?.[1] ?? '')?.[1];
    assert.ok(jobId, answer.data?.[1]);
    const job = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
    assert.equal(job.pages, 2, 'the cover and the message');
    const tiff = await waitFor('the fax', async () => {
      const response = await fetch(`${faxd.url}/v1/jobs/${jobId}/document.tif`);
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
    });
    const [cover] = readTiff(tiff).map((entry) => entry.page);
    const expected = await drawnText('Mailed by Bob Builder: Plans for Monday\n');
    assert.ok(samePixelsBelow(cover as BilevelPage, expected), 'the cover carries the subject');
  });
});
