// Email-to-fax (issue 15 item 2) with Python's smtplib as the mail client: a message with a PDF and a PNG to two
// numbers becomes one broadcast of two jobs whose received pages are the documents; senders not allowed, recipients
// that are not fax numbers, unfaxable, unreadable, oversized and malformed messages are refused with the right SMTP
// replies and leave no job, the messages refused at DATA also explained by a mail back (to aiosmtpd, the relay).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { simplePdf } from '@faxd/protocol/testing/hostile-documents';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import sharp from 'sharp';
import { loadDocumentPages } from '../documents/load-pages.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { sandboxLinePairs } from '../testing/numbered-faxes.js';
import { type SmtpSendRequest, type SmtpSink, smtpSend, startSmtpSink } from '../testing/smtp-sink.js';

const S = FAX_JOB_STATUS_ENUM;
/** The band of rows the header line is stamped in at fine resolution (0.2 in). */
const HEADER_ROWS = 39;

const below = (page: BilevelPage) => page.data.subarray(HEADER_ROWS * page.stride);

describe('the mail gateway', () => {
  let work: string;
  let sink: SmtpSink;
  let faxd: TestFaxd;
  let pdf: string;
  let png: string;
  const api = (path: string) => requestJson(faxd.url, path);
  const send = (request: Omit<SmtpSendRequest, 'port'>) => smtpSend({ port: faxd.mailGateway?.port ?? 0, ...request });
  const jobs = async () => (await api('/v1/jobs?all=true')).body as JsonBody[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'faxd-gateway-'));
    await mkdir(join(work, 'relay'));
    sink = await startSmtpSink(join(work, 'relay'));
    pdf = join(work, 'letter.pdf');
    // A page of a few black bars: light enough to cross the lines quickly.
    await writeFile(pdf, simplePdf(1, '0 g 60 700 475 40 re f 60 500 200 120 re f 320 200 215 60 re f'));
    png = join(work, 'chart.png');
    // Black and white blocks: a picture whose pixels survive conversion unchanged, so any change shows.
    const blocks = Buffer.alloc(400 * 300, 255);
    for (let y = 50; y < 250; y++) blocks.fill(0, y * 400 + (y < 150 ? 40 : 200), y * 400 + (y < 150 ? 160 : 360));
    await sharp(blocks, { raw: { width: 400, height: 300, channels: 1 } })
      .png()
      .toFile(png);
    faxd = await startTestFaxd({
      // A sandbox pair: the real T.30 engine on a virtual clock, so the gateway's faxes cost no real-time wait.
      lines: sandboxLinePairs(1, 1),
      smtp: { host: '127.0.0.1', port: sink.port, from: 'faxd@fax.example' },
      mailGateway: {
        listen: '127.0.0.1:0',
        domain: 'fax.example',
        allowFrom: ['alice@example.com', '@example.org'],
        // The least limit there is, so the oversized message is 2 MB, not the 60 MB over the default that took 40 s.
        maxMessageMegabytes: 1,
      },
      limits: { recipientsPerSubmission: 5 },
    });
  });
  after(async () => {
    await faxd.dispose();
    await sink.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a sender not allowed and a recipient that is not a fax number at RCPT', async () => {
    const stranger = await send({ from: 'mallory@example.net', to: ['2@fax.example'], text: 'hello' });
    assert.equal(stranger.accepted, false);
    assert.equal(stranger.refused['2@fax.example']?.[0], 550);
    assert.match(stranger.refused['2@fax.example']?.[1] ?? '', /^5\.7\.1 /);
    const lookalike = await send({ from: 'alice@example.com.evil', to: ['2@fax.example'], text: 'hello' });
    assert.equal(lookalike.refused['2@fax.example']?.[0], 550);
    const misaddressed = await send({
      from: 'alice@example.com',
      to: ['bob@fax.example', '2@other.example'],
      text: 'x',
    });
    assert.deepEqual(Object.keys(misaddressed.refused), ['bob@fax.example', '2@other.example']);
    for (const [code, text] of Object.values(misaddressed.refused)) {
      assert.equal(code, 550);
      assert.match(text, /^5\.1\.1 /);
    }
    assert.deepEqual(await jobs(), []);
  });

  it('refuses unfaxable, unreadable, empty, oversized and malformed messages at DATA, mails the sender why, and makes no job', async () => {
    const zip = join(work, 'archive.zip');
    await writeFile(zip, Buffer.from('PK\x03\x04 not a fax'));
    const notPdf = join(work, 'not.pdf');
    await writeFile(notPdf, '%PDF-1.4\nthe rest of this PDF never came\n');
    const huge = join(work, 'huge.txt');
    await writeFile(huge, Buffer.alloc(2 * 1024 * 1024, 'fax me '));
    const broken = join(work, 'broken.eml');
    await writeFile(
      broken,
      [
        'From: alice@example.com',
        'To: 2@fax.example',
        'Subject: cut short',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="XYZ"',
        '',
        '--XYZ',
        'Content-Type: text/plain',
        '',
        'The first part, and then the message ends without closing its parts.',
        '',
      ].join('\r\n'),
    );
    const from = 'alice@example.com';
    const to = ['2@fax.example'];
    const cases = [
      {
        why: 'an unfaxable attachment',
        code: 554,
        status: '5.6.1',
        request: { attachments: [{ path: zip, filename: 'archive.zip', contentType: 'application/zip' }] },
      },
      {
        why: 'a PDF that does not open',
        code: 554,
        status: '5.6.0',
        request: { attachments: [{ path: notPdf, filename: 'letter.pdf', contentType: 'application/pdf' }] },
      },
      { why: 'no text and no attachment', code: 554, status: '5.6.0', request: { text: '' } },
      {
        why: 'a 2 MB message over a limit of 1 MB',
        code: 552,
        status: '5.3.4',
        request: { attachments: [{ path: huge, filename: 'huge.txt', contentType: 'text/plain' }] },
      },
      { why: 'broken MIME', code: 554, status: '5.6.0', request: { raw: broken } },
    ];
    for (const { why, code, status, request } of cases) {
      const answer = await send({ from, to, subject: why, ...request });
      assert.equal(answer.accepted, false, why);
      assert.equal(answer.data?.[0], code, `${why}: ${JSON.stringify(answer)}`);
      assert.ok(answer.data?.[1].startsWith(`${status} `), `${why}: ${answer.data?.[1]}`);
    }
    assert.deepEqual(await jobs(), [], 'no job from any of them');
    const explained = await waitFor('the refusals mailed back', async () => {
      const mails = await sink.mails();
      return mails.length >= cases.length ? mails : undefined;
    });
    assert.equal(explained.length, cases.length);
    for (const [i, mail] of explained.entries()) {
      assert.deepEqual(mail.rcptTos, [from]);
      assert.equal(mail.subject, 'Your message was not faxed');
      assert.match(mail.text, /^Your message to 2@fax\.example was not faxed: no fax job was created\./);
      assert.ok(mail.text.includes(`(SMTP reply ${cases[i]?.code} ${cases[i]?.status} `), mail.text);
    }
  });

  it('faxes a PDF and a PNG to two numbers as one broadcast whose received pages are the documents', async () => {
    const answer = await send({
      from: 'Bob Builder <bob@example.org>',
      to: ['2@fax.example', '+1-555-0102@FAX.example'],
      subject: 'Plans',
      text: 'Please see the attached plans.',
      attachments: [
        { path: pdf, filename: 'letter.pdf', contentType: 'application/pdf' },
        { path: png, filename: 'chart.png', contentType: 'image/png' },
      ],
    });
    assert.equal(answer.accepted, true, JSON.stringify(answer));
    const queued = /^2\.0\.0 Queued as fax jobs (\S+) (\S+)$/.exec(answer.data?.[1] ?? '');
    assert.ok(queued, answer.data?.[1]);
    const ended = await waitFor(
      'both jobs to end',
      async () => {
        const all = (await api('/v1/jobs?all=true&direction=outgoing')).body as JsonBody[];
        return all.length === 2 && all.every((job) => isFinal(job.status)) ? all : undefined;
      },
      120_000,
    ).catch(async (error: Error) => {
      const states = (await jobs()).map((j) => [j.status, j.extendedStatusCode, j.currentPage, j.pages, j.deviceId]);
      return assert.fail(`${error.message}: ${JSON.stringify(states)}`);
    });
    assert.deepEqual(
      ended.map((job) => [job.jobId, job.status, job.recipientNumber, job.senderName, job.pages]),
      [
        [queued[1], S.fjsCOMPLETED, '2', 'Bob Builder', 2],
        [queued[2], S.fjsCOMPLETED, '+1-555-0102', 'Bob Builder', 2],
      ],
    );

    const documents = [
      ...(await loadDocumentPages(new Uint8Array(await readFile(pdf)), { paper: 'a4' })),
      ...(await loadDocumentPages(new Uint8Array(await readFile(png)), { paper: 'a4' })),
    ];
    const inbox = (await api('/v1/inbox')).body as JsonBody[];
    assert.equal(inbox.length, 2);
    for (const message of inbox) {
      const received = libtiffPages(faxd.service.files.inboxFax(message.id, 'tif'), 2);
      for (const [i, page] of received.entries()) {
        assert.deepEqual(below(page), below(documents[i] as BilevelPage), `fax ${message.id} page ${i + 1}`);
      }
    }
  });
});

describe('the mail gateway with requireAuth', () => {
  let faxd: TestFaxd;
  before(async () => {
    faxd = await startTestFaxd({
      mailGateway: {
        listen: '127.0.0.1:0',
        domain: 'fax.example',
        allowFrom: ['alice@example.com'],
        requireAuth: true,
      },
    });
  });
  after(() => faxd.dispose());

  it('refuses an unauthenticated sender, allowed or not, at MAIL, and a login it cannot check, and makes no job', async () => {
    const port = faxd.mailGateway?.port ?? 0;
    const unauthenticated = await smtpSend({ port, from: 'alice@example.com', to: ['2@fax.example'], text: 'hello' });
    assert.equal(unauthenticated.accepted, false);
    assert.equal(unauthenticated.error?.stage, 'mail');
    assert.equal(unauthenticated.error?.code, 530);
    const login = await smtpSend({
      port,
      from: 'alice@example.com',
      to: ['2@fax.example'],
      text: 'hi',
      login: ['alice', 'pw'],
    });
    assert.equal(login.accepted, false);
    assert.equal(login.error?.stage, 'auth');
    assert.equal(login.error?.code, 535);
    assert.deepEqual((await requestJson(faxd.url, '/v1/jobs?all=true')).body, []);
  });
});
