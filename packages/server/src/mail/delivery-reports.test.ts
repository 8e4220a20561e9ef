// Delivery reports (issue 15 item 3) mailed to aiosmtpd: a job submitted with `notify` that completes over a sandbox
// pair (the real T.30 engine on a virtual clock, so no line time is waited for) reports its pages, the remote CSID,
// its tries and a picture of page 1; one whose call fails reports the reason in words and its tries; a job without
// `notify` mails nothing.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import sharp from 'sharp';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { type SmtpSink, type SunkMail, startSmtpSink } from '../testing/smtp-sink.js';
import { failureInWords } from './delivery-reports.js';
import { pageThumbnail, THUMBNAIL_WIDTH } from './page-thumbnail.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;
const TEXT = 'Report test\n\nPage one: a few words.\n\fPage two: other words, more of them.\n';

describe('delivery reports', () => {
  let work: string;
  let sink: SmtpSink;
  let faxd: TestFaxd;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'faxd-report-'));
    sink = await startSmtpSink(work);
    faxd = await startTestFaxd({
      smtp: { host: '127.0.0.1', port: sink.port, from: 'faxd@fax.example' },
      lines: [
        { id: 1, name: 'Out', kind: 'sandbox', peer: 2, tsid: '+1 555 0101', csid: '+1 555 0101' },
        { id: 2, name: 'In', kind: 'sandbox', peer: 1, tsid: '+1 555 0102', csid: '+1 555 0102' },
        { id: 3, name: 'Out 2', kind: 'sandbox', peer: 4, tsid: '+1 555 0103', csid: '+1 555 0103' },
        { id: 4, name: 'Deaf', kind: 'sandbox', peer: 3, csid: '+1 555 0104', receive: false },
      ],
    });
  });
  after(async () => {
    await faxd.dispose();
    await sink.stop();
    await rm(work, { recursive: true, force: true });
  });

  async function sendAndEnd(body: Record<string, unknown>): Promise<JsonBody> {
    const documents = [{ name: 'report-test.txt', contentBase64: Buffer.from(TEXT).toString('base64') }];
    const submitted = await api('/v1/jobs', { method: 'POST', body: { documents, retries: 0, ...body } });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    return waitFor('the job to end', async () => {
      const job = (await api(`/v1/jobs/${submitted.body.jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
  }

  async function reportAbout(jobId: string): Promise<SunkMail> {
    await waitFor('the report sent', async () => {
      const [delivery] = (await api(`/v1/mail-deliveries?sourceId=${jobId}`)).body as JsonBody[];
      return delivery?.state === 'sent' ? delivery : undefined;
    });
    const mails = (await sink.mails()).filter((mail) => mail.text.includes(`Job:        ${jobId}`));
    assert.equal(mails.length, 1, 'one report');
    return mails[0] as SunkMail;
  }

  it('reports a completed job with its pages, the remote CSID, its tries and page 1', async () => {
    const job = await sendAndEnd({ to: '2', line: 1, recipientName: 'Bob', notify: 'alice@example.com' });
    assert.equal(job.status, S.fjsCOMPLETED);
    const mail = await reportAbout(job.jobId);
    assert.deepEqual(mail.rcptTos, ['alice@example.com']);
    assert.equal(mail.subject, 'Fax to 2 delivered (2 pages)');
    assert.match(mail.text, /^Your fax to 2 was delivered/);
    assert.match(mail.text, /\nPages: +2\n/);
    assert.match(mail.text, /\nRemote fax: \+1 555 0102\n/);
    assert.match(mail.text, /\nTries: +1\n/);
    assert.match(mail.text, /\nTo: +Bob \(2\)\n/);
    assert.match(mail.text, /\nDocument: +report-test\.txt\n/);

    assert.deepEqual(
      mail.attachments.map(({ filename, contentType }) => [filename, contentType]),
      [['page-1.png', 'image/png']],
    );
    const picture = await sharp(await readFile((mail.attachments[0] as { path: string }).path))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.equal(picture.info.width, THUMBNAIL_WIDTH);
    // The picture is the sent fax's first page (as the job's document serves it), not its second.
    const tiff = new Uint8Array(await (await fetch(`${faxd.url}/v1/jobs/${job.jobId}/document.tif`)).arrayBuffer());
    const [one, two] = readTiff(tiff).map(({ page }) => page);
    const expected = async (page: typeof one) =>
      sharp(await pageThumbnail(page as NonNullable<typeof one>))
        .raw()
        .toBuffer();
    assert.ok(picture.data.equals(await expected(one)), 'the picture is page 1');
    assert.ok(!picture.data.equals(await expected(two)), 'and not page 2');
    assert.ok(picture.data.some((value) => value < 250) && picture.data.some((value) => value === 255), 'ink on paper');
  });

  it('reports a failed job with the reason in words and its tries', async () => {
    const job = await sendAndEnd({ to: '4', line: 3, notify: 'carol@example.com' });
    assert.equal(job.status, S.fjsRETRIES_EXCEEDED);
    const mail = await reportAbout(job.jobId);
    assert.deepEqual(mail.rcptTos, ['carol@example.com']);
    // Line 4 takes no calls: a call to it rings out, no answer.
    assert.equal(job.extendedStatusCode, X.fjesNO_ANSWER);
    const words = 'nobody answered, or no fax machine answered in time';
    assert.equal(failureInWords(X.fjesNO_ANSWER), words);
    assert.equal(mail.subject, `Fax to 4 failed: ${words}`);
    assert.ok(mail.text.startsWith(`Your fax to 4 could not be delivered: ${words}.\n`), mail.text);
    assert.match(mail.text, new RegExp(`\nReason: +${words}`));
    assert.match(mail.text, /\nTries: +1\n/);
    assert.match(mail.text, /\nPages sent: 0 of 2\n/);
    assert.deepEqual(mail.attachments, []);
  });

  it('mails nothing for a job without notify', async () => {
    const job = await sendAndEnd({ to: '2', line: 1 });
    assert.equal(job.status, S.fjsCOMPLETED);
    assert.deepEqual((await api(`/v1/mail-deliveries?sourceId=${job.jobId}`)).body, []);
  });
});
