// Fax-to-email (issue 15 item 1) against aiosmtpd, an SMTP server that is not faxd's: a fax received over the loopback
// lines arrives as one mail whose PDF decodes to the received pages pixel for pixel, once, though the relay was away
// for the first tries; the delivery's state is followed through GET /v1/mail-deliveries.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { gsRenderPage } from '@faxd/protocol/testing/gs-render';
import {
  firstInboxFax,
  type JsonBody,
  requestJson,
  startTestFaxd,
  submitText,
  type TestFaxd,
  waitFor,
} from '../testing/faxd-fixture.js';
import { freeTcpPort, type SmtpSink, startSmtpSink } from '../testing/smtp-sink.js';

const TEXT = 'faxd mail test\n\nPage one of two.\n\fPage two of two.\n';

describe('a received fax mailed through a relay that is away at first', () => {
  let work: string;
  let faxd: TestFaxd;
  let sink: SmtpSink | undefined;
  let relayPort: number;
  let inbox: { message: JsonBody; pages: BilevelPage[] };
  const api = (path: string) => requestJson(faxd.url, path);

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'faxd-mail-'));
    relayPort = await freeTcpPort();
    faxd = await startTestFaxd({
      smtp: { host: '127.0.0.1', port: relayPort, from: 'faxd@fax.example' },
      lines: [
        { id: 1, name: 'Out', kind: 'loopback', tsid: '+1 555 0101', csid: '+1 555 0101' },
        {
          id: 2,
          name: 'Reception',
          kind: 'loopback',
          tsid: '+1 555 0102',
          csid: '+1 555 0102',
          routing: {
            email: {
              to: ['office@example.com', 'boss@example.com'],
              subject: '{pages}-page fax from {tsid}',
              tiff: true,
            },
          },
        },
      ],
    });
  });
  after(async () => {
    await faxd.dispose();
    await sink?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps the mail queued, with its tries and the reason, while nothing listens at the relay', async () => {
    await submitText(faxd.url, TEXT, '+1 555 0102');
    inbox = await firstInboxFax(faxd.url);
    assert.equal(inbox.pages.length, 2);
    const delivery = await waitFor('two failed tries', async () => {
      const [row] = (await api('/v1/mail-deliveries')).body as JsonBody[];
      return row && row.attempts >= 2 && row.state === 'queued' ? row : undefined;
    });
    assert.equal(delivery.kind, 'reception');
    assert.equal(delivery.sourceId, inbox.message.id);
    assert.deepEqual(delivery.to, ['office@example.com', 'boss@example.com']);
    assert.equal(delivery.subject, '2-page fax from +1 555 0101');
    assert.deepEqual(delivery.attachments, [`fax-${inbox.message.id}.pdf`, `fax-${inbox.message.id}.tif`]);
    assert.match(delivery.lastError, /ECONNREFUSED/);
    assert.ok(Date.parse(delivery.nextAttemptAt) > Date.parse(delivery.createdAt));
    assert.equal(delivery.sentAt, null);
    assert.deepEqual((await api(`/v1/mail-deliveries/${delivery.id}`)).body, delivery);
    assert.deepEqual((await api(`/v1/mail-deliveries?sourceId=${inbox.message.id}`)).body, [delivery]);
    assert.deepEqual((await api('/v1/mail-deliveries?sourceId=nothing')).body, []);
    const missing = await api('/v1/mail-deliveries/0123456789ab');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'FAX_ERR_NOT_FOUND');
  });

  it('sends it once when the relay comes back, the body listing the call and the PDF the received pages', async () => {
    sink = await startSmtpSink(work, { port: relayPort });
    const delivery = await waitFor('the mail sent', async () => {
      const [row] = (await api('/v1/mail-deliveries')).body as JsonBody[];
      return row?.state === 'sent' ? row : undefined;
    });
    assert.ok(delivery.attempts >= 3, `tries: ${delivery.attempts}`);
    assert.equal(delivery.lastError, '');
    assert.equal(delivery.nextAttemptAt, null);
    assert.ok(Date.parse(delivery.sentAt) >= Date.parse(delivery.createdAt));

    // The same reception queued again (its routing tried again after a fault) is no second mail, and the round of
    // sending it starts does not send the first one again.
    const again = { to: ['x@example.com'], subject: 'again', body: '', attachments: [] };
    await faxd.service.mail.enqueueOnce({ kind: 'reception', sourceId: inbox.message.id, ...again });
    await faxd.service.mail.settled();
    assert.deepEqual((await api('/v1/mail-deliveries')).body, [delivery]);

    const mails = await sink.mails();
    assert.equal(mails.length, 1, 'exactly one mail');
    const [mail] = mails as [(typeof mails)[number]];
    assert.equal(mail.mailFrom, 'faxd@fax.example');
    assert.deepEqual(mail.rcptTos, ['office@example.com', 'boss@example.com']);
    assert.equal(mail.subject, '2-page fax from +1 555 0101');
    assert.match(mail.messageId, /^<[0-9a-f]+@fax\.example>$/);
    for (const fact of [
      /fax ident \(TSID\): +\+1 555 0101/,
      new RegExp(
        `Caller id: +${inbox.message.callerId ? inbox.message.callerId.replace(/[+]/g, '[+]') : '[(]none[)]'}\n`,
      ),
      /Received as \(CSID\): +\+1 555 0102/,
      /Line: +Reception \(2\)/,
      /Pages: +2\n/,
      new RegExp(`Received at: +${inbox.message.receivedAt.replace(/[.]/g, '[.]')}`),
      /Partial: +no\n/,
    ]) {
      assert.match(mail.text, fact);
    }
    assert.deepEqual(
      mail.attachments.map(({ filename, contentType }) => [filename, contentType]),
      [
        [`fax-${inbox.message.id}.pdf`, 'application/pdf'],
        [`fax-${inbox.message.id}.tif`, 'image/tiff'],
      ],
    );
    const pdf = (mail.attachments[0] as { path: string }).path;
    inbox.pages.forEach((page, index) => {
      assert.ok(samePixels(gsRenderPage(pdf, index + 1, page, work), page), `page ${index + 1} pixel for pixel`);
    });
  });
});
