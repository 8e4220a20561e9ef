// faxd killed with SIGKILL while it hands a received fax's mail to the relay (aiosmtpd holding the DATA unanswered),
// then started again on the same data directory: the cut try is due again at the start and the mail arrives once,
// the same Message-ID it was first sent with.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JsonBody, requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { type SmtpSink, startSmtpSink } from '../testing/smtp-sink.js';

describe('faxd killed in the middle of mailing a received fax', () => {
  let base = '';
  let sink: SmtpSink | undefined;
  let faxd: FaxdProcess | undefined;
  const api = (path: string) => requestJson(faxd?.url ?? '', path);
  const deliveries = async () => (await api('/v1/mail-deliveries')).body as JsonBody[];

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'faxd-mail-kill-'));
    sink = await startSmtpSink(base, { stall: 1 });
  });
  after(async () => {
    faxd?.child.kill('SIGKILL');
    await sink?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('sends the mail once after the restart', async () => {
    const config = await writeFaxdConfig(base, {
      dataDir: join(base, 'var'),
      smtp: { host: '127.0.0.1', port: sink?.port, from: 'faxd@fax.example' },
      lines: [
        { id: 1, name: 'Out', kind: 'loopback', tsid: '+1 555 0101', csid: '+1 555 0101' },
        {
          id: 2,
          name: 'In',
          kind: 'loopback',
          csid: '+1 555 0102',
          routing: { email: { to: ['office@example.com'] } },
        },
      ],
    });
    faxd = await startFaxdProcess(config);
    await submitText(faxd.url, 'A fax whose mail is cut short.\n', '2');
    await waitFor('the relay to hold the mail', () => (sink?.output().includes('STALL') ? true : undefined));
    const [cut] = await deliveries();
    assert.equal(cut.state, 'sending');
    assert.equal(cut.attempts, 1);

    const killed = faxd.child;
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    faxd = await startFaxdProcess(config);
    const sent = await waitFor('the mail sent after the restart', async () => {
      const [row] = await deliveries();
      return row?.state === 'sent' ? row : undefined;
    });
    assert.equal(sent.id, cut.id);
    assert.equal(sent.attempts, 2, 'the cut try counts as one');
    assert.equal((await deliveries()).length, 1);

    const mails = (await sink?.mails()) ?? [];
    assert.equal(mails.length, 1, 'one mail arrived');
    const [mail] = mails as [(typeof mails)[number]];
    assert.deepEqual(mail.rcptTos, ['office@example.com']);
    assert.equal(mail.subject, 'Fax from +1 555 0101, pages: 1');
    assert.equal(mail.attachments.length, 1);
    const pdf = await readFile((mail.attachments[0] as { path: string }).path);
    const stored = await readFile(join(base, 'var', 'inbox', `${sent.sourceId}.pdf`));
    assert.ok(pdf.equals(stored), 'the attachment is the inbox PDF byte for byte');
  });
});
