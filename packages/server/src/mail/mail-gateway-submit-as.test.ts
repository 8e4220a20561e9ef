// Mail from `allowFrom` senders on a server with users (issue 15), Python's smtplib as the client: faxd will not start
// without `mailGateway.submitAs` naming a user; with it, the jobs are that user's own (they see them with nothing but a
// submit right, another submitter does not) and the audit log names the sender's address; a broadcast is audited as
// the API audits one; taking the user's submit right away refuses the next mail at RCPT and makes no job.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { ConfigError } from '../config/faxd-config.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { type SmtpSendRequest, smtpSend } from '../testing/smtp-sink.js';

const ADMIN = 'gateway-submit-as-administrator';
const gateway = { listen: '127.0.0.1:0', domain: 'fax.example', allowFrom: ['@example.com'] };

describe('mail from allowFrom senders on a server with users', () => {
  let dataDir: string;
  let faxd: TestFaxd;
  const keys = new Map<string, string>();
  const send = (request: Omit<SmtpSendRequest, 'port'>) => smtpSend({ port: faxd.mailGateway?.port ?? 0, ...request });
  const as = (key: string, path: string) =>
    requestJson(faxd.url, path, { headers: { authorization: `Bearer ${key}` } });
  const jobIdsSeenBy = async (key: string) =>
    ((await as(key, '/v1/jobs?all=true&direction=outgoing')).body as JsonBody[]).map((job) => job.jobId);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-submit-as-'));
    const setup = await startTestFaxd({ token: ADMIN }, dataDir);
    keys.set('maildesk', await setup.service.users.add('maildesk', parseAccessRights('submit-normal')));
    keys.set('bob', await setup.service.users.add('bob', parseAccessRights('submit-normal')));
    await setup.dispose();
  });
  after(async () => {
    await faxd?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('does not start without submitAs, nor with a submitAs that is no user', async () => {
    for (const [config, why] of [
      [gateway, /is required with allowFrom on a server with users/],
      [{ ...gateway, submitAs: 'nobody' }, /there is no user named nobody/],
    ] as const) {
      await assert.rejects(
        startTestFaxd({ token: ADMIN, mailGateway: config }, dataDir),
        (error: unknown) =>
          error instanceof ConfigError && error.key === 'mailGateway.submitAs' && why.test(error.reason),
      );
    }
  });

  it("makes the submitAs user's own jobs, audited as the sender's", async () => {
    faxd = await startTestFaxd({ token: ADMIN, mailGateway: { ...gateway, submitAs: 'maildesk' } }, dataDir);
    const one = await send({ from: 'alice@example.com', to: ['5550101@fax.example'], text: 'one' });
    assert.equal(one.accepted, true, JSON.stringify(one));
    const jobId = /Queued as fax job (\S+)$/.exec(one.data?.[1] ?? '')?.[1];
    const two = await send({
      from: 'carol@example.com',
      to: ['5550102@fax.example', '5550103@fax.example'],
      text: 't',
    });
    assert.equal(two.accepted, true, JSON.stringify(two));
    const broadcastJobs = /Queued as fax jobs (\S+) (\S+)$/.exec(two.data?.[1] ?? '')?.slice(1);
    assert.ok(jobId && broadcastJobs, `${one.data?.[1]} / ${two.data?.[1]}`);

    // maildesk holds nothing but submit-normal: it sees the three jobs only as their owner; bob sees none.
    assert.deepEqual((await jobIdsSeenBy(keys.get('maildesk') as string)).sort(), [jobId, ...broadcastJobs].sort());
    assert.deepEqual(await jobIdsSeenBy(keys.get('bob') as string), []);

    const { broadcastId } = (await as(ADMIN, `/v1/jobs/${broadcastJobs[0]}`)).body as JsonBody;
    const audit = (await as(ADMIN, '/v1/audit?action=submitted')).body as JsonBody[];
    assert.deepEqual(
      audit.map((entry) => [entry.user, entry.object, entry.address]),
      [
        ['mail:carol@example.com', `broadcast:${broadcastId}`, '127.0.0.1'],
        ['mail:alice@example.com', `job:${jobId}`, '127.0.0.1'],
      ],
    );
  });

  it("refuses mail at RCPT once the submitAs user's submit right is taken away, and makes no job", async () => {
    const before = await jobIdsSeenBy(ADMIN);
    await faxd.service.users.setRights('maildesk', parseAccessRights('query-out-jobs'));
    const answer = await send({ from: 'alice@example.com', to: ['5550104@fax.example'], text: 'three' });
    assert.equal(answer.accepted, false);
    assert.equal(answer.refused['5550104@fax.example']?.[0], 550);
    assert.match(answer.refused['5550104@fax.example']?.[1] ?? '', /^5\.7\.1 The user maildesk may not submit faxes/);
    assert.deepEqual(await jobIdsSeenBy(ADMIN), before);
  });
});
