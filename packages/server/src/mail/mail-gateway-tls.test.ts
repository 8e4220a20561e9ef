// STARTTLS at the mail gateway (issue 15) with faxd's `tls` certificate, Python's smtplib as the client trusting only
// the test CA: with requireTls, AUTH and MAIL before STARTTLS are refused and leave no job; after it a user signs in
// and the fax is theirs, in the audit log as an API submission is; a renewed certificate serves the next STARTTLS
// after a reload (SIGHUP's); requireTls without a certificate is a configuration error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { ConfigError } from '../config/faxd-config.js';
import { startFaxd } from '../start-faxd.js';
import { type JsonBody, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { httpsRequest } from '../testing/https-request.js';
import { type SmtpSendRequest, smtpSend } from '../testing/smtp-sink.js';
import {
  createTestCertificateAuthority,
  fingerprintOf,
  type TestCertificateAuthority,
} from '../testing/test-certificates.js';

const ADMIN = 'gateway-tls-administrator';
const gateway = { listen: '127.0.0.1:0', domain: 'fax.example', allowFrom: [], requireAuth: true };

describe('STARTTLS at the mail gateway', () => {
  let authority: TestCertificateAuthority;
  let files: { cert: string; key: string };
  let faxd: TestFaxd;
  const send = (request: Omit<SmtpSendRequest, 'port'>) => smtpSend({ port: faxd.mailGateway?.port ?? 0, ...request });
  const admin = async (path: string): Promise<JsonBody> => {
    const headers = { authorization: `Bearer ${ADMIN}` };
    const answer = await httpsRequest(faxd.url, path, { ca: readFileSync(authority.caFile), headers });
    assert.equal(answer.status, 200, answer.body);
    return JSON.parse(answer.body);
  };
  const base = { from: 'alice@example.com', to: ['5550123@fax.example'], text: 'a fax over TLS' };

  before(async () => {
    authority = createTestCertificateAuthority();
    files = authority.issue('mail');
    faxd = await startTestFaxd({ token: ADMIN, tls: files, mailGateway: { ...gateway, requireTls: true } });
    await faxd.service.users.add('alice', parseAccessRights('submit-normal'), 'alice password');
  });
  after(async () => {
    await faxd.dispose();
    authority.dispose();
  });

  it('refuses AUTH and MAIL before STARTTLS, and makes no job', async () => {
    const login = await send({ ...base, login: ['alice', 'alice password'] });
    assert.deepEqual([login.accepted, login.error?.stage, login.error?.code], [false, 'auth', 538]);
    // Refused for want of AUTH (530 as well), which cannot come before STARTTLS.
    const plain = await send(base);
    assert.deepEqual([plain.accepted, plain.error?.stage, plain.error?.code], [false, 'mail', 530]);
    assert.deepEqual(await admin('/v1/jobs?all=true'), []);
  });

  it("after STARTTLS with faxd's certificate, signs the user in and makes their job, audited", async () => {
    const answer = await send({ ...base, starttls: authority.caFile, login: ['alice', 'alice password'] });
    assert.equal(answer.accepted, true, JSON.stringify(answer));
    assert.equal(answer.fingerprint, fingerprintOf(files.cert));
    const jobId = /^2\.0\.0 Queued as fax job (\S+)$/.exec(answer.data?.[1] ?? '')?.[1];
    assert.ok(jobId, answer.data?.[1]);
    // The default lines are a loopback pair: the fax may be arriving on the other one already.
    const jobs = (await admin('/v1/jobs?all=true&direction=outgoing')) as JsonBody[];
    assert.deepEqual(
      jobs.map((job) => [job.jobId, job.recipientNumber]),
      [[jobId, '5550123']],
    );
    const audit = (await admin('/v1/audit?action=submitted')) as JsonBody[];
    assert.deepEqual(
      audit.map((entry) => [entry.user, entry.action, entry.object, entry.address]),
      [['alice', 'submitted', `job:${jobId}`, '127.0.0.1']],
    );
  });

  it('serves a renewed certificate to the next STARTTLS after a reload', async () => {
    const old = fingerprintOf(files.cert);
    const renewed = authority.issue('mail');
    assert.notEqual(fingerprintOf(renewed.cert), old);
    await faxd.reloadCertificates();
    const answer = await send({ ...base, starttls: authority.caFile, login: ['alice', 'alice password'] });
    assert.equal(answer.accepted, true, JSON.stringify(answer));
    assert.equal(answer.fingerprint, fingerprintOf(renewed.cert));
  });

  it('refuses MAIL before STARTTLS from a sender allowFrom lets in, and takes it after', async () => {
    const allowing = await startTestFaxd({
      token: ADMIN,
      tls: files,
      mailGateway: { ...gateway, requireAuth: false, allowFrom: ['@example.com'], requireTls: true },
    });
    try {
      const port = allowing.mailGateway?.port ?? 0;
      const plain = await smtpSend({ port, ...base });
      assert.deepEqual([plain.accepted, plain.error?.stage, plain.error?.code], [false, 'mail', 530]);
      assert.match(plain.error?.text ?? '', /^5\.7\.0 Must issue a STARTTLS command first/);
      assert.equal((await allowing.service.audit.list({ action: 'submitted' })).length, 0);
      const secure = await smtpSend({ port, ...base, starttls: authority.caFile });
      assert.equal(secure.accepted, true, JSON.stringify(secure));
      assert.deepEqual(
        (await allowing.service.audit.list({ action: 'submitted' })).map((entry) => entry.user),
        ['mail:alice@example.com'],
      );
    } finally {
      await allowing.dispose();
    }
  });

  it('refuses requireTls without a certificate to offer', async () => {
    await assert.rejects(
      startFaxd({ listen: '127.0.0.1:0', dataDir: faxd.dataDir, mailGateway: { ...gateway, requireTls: true } }),
      (error: unknown) => error instanceof ConfigError && error.key === 'mailGateway.requireTls',
    );
  });
});
