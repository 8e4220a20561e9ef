// SMTP AUTH at the mail gateway with faxd's users (issue 15), Python's smtplib as the client: a user's name and
// password sign in, the fax job is that user's own (they see it through the API with nothing but a submit right,
// another submitter does not), whatever address the mail is from; a wrong password is refused at AUTH, and a user
// without a submit right at RCPT, both leaving no job; failed logins count with the console's failed sign-ins.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { type SmtpSendRequest, smtpSend } from '../testing/smtp-sink.js';

const ADMIN = 'gateway-auth-administrator';

describe('SMTP AUTH at the mail gateway with faxd users', () => {
  let faxd: TestFaxd;
  const keys = new Map<string, string>();
  const send = (request: Omit<SmtpSendRequest, 'port'>) => smtpSend({ port: faxd.mailGateway?.port ?? 0, ...request });
  const as = (key: string, path: string) =>
    requestJson(faxd.url, path, { headers: { authorization: `Bearer ${key}` } });
  const allJobs = async () => (await as(ADMIN, '/v1/jobs?all=true')).body as JsonBody[];

  before(async () => {
    faxd = await startTestFaxd({
      token: ADMIN,
      mailGateway: { listen: '127.0.0.1:0', domain: 'fax.example', allowFrom: [], requireAuth: true },
    });
    const users = faxd.service.users;
    keys.set('alice', await users.add('alice', parseAccessRights('submit-normal'), 'alice password'));
    keys.set('bob', await users.add('bob', parseAccessRights('submit-normal'), 'bob password'));
    keys.set('viewer', await users.add('viewer', parseAccessRights('query-out-jobs'), 'viewer password'));
    keys.set('keyonly', await users.add('keyonly', parseAccessRights('submit-normal')));
  });
  after(() => faxd.dispose());

  it('refuses a wrong password, a user without one, and a user without a submit right, and makes no job', async () => {
    const base = { from: 'alice@example.com', to: ['5550123@fax.example'], text: 'hello' };
    const wrong = await send({ ...base, login: ['alice', 'not alice password'] });
    assert.deepEqual([wrong.accepted, wrong.error?.stage, wrong.error?.code], [false, 'auth', 535]);
    // A user made with only an API key has no password to sign in with; the key is not one.
    const keyOnly = await send({ ...base, login: ['keyonly', keys.get('keyonly') as string] });
    assert.deepEqual([keyOnly.accepted, keyOnly.error?.stage, keyOnly.error?.code], [false, 'auth', 535]);
    const viewer = await send({ ...base, from: 'viewer@example.com', login: ['viewer', 'viewer password'] });
    assert.equal(viewer.accepted, false);
    assert.equal(viewer.refused['5550123@fax.example']?.[0], 550);
    assert.match(viewer.refused['5550123@fax.example']?.[1] ?? '', /^5\.7\.1 The user viewer may not submit faxes/);
    assert.deepEqual(await allJobs(), []);
  });

  it("makes the signed-in user's own job, whatever address the mail is from", async () => {
    // Not in allowFrom (which is empty): the sign-in is what lets the mail in.
    const answer = await send({
      from: 'someone@elsewhere.test',
      to: ['5550124@fax.example'],
      text: 'a fax from alice',
      login: ['alice', 'alice password'],
    });
    assert.equal(answer.accepted, true, JSON.stringify(answer));
    const [code, text] = answer.data ?? [0, ''];
    assert.equal(code, 250);
    const jobId = /Queued as fax job (\w+)/.exec(text)?.[1] ?? '';
    const [job] = await allJobs();
    assert.deepEqual([job?.jobId, job?.recipientNumber], [jobId, '5550124']);
    // alice holds nothing but submit-normal: she sees the job only as its owner; bob, another submitter, does not.
    const mine = await as(keys.get('alice') as string, `/v1/jobs/${jobId}`);
    assert.equal(mine.status, 200);
    assert.deepEqual(
      ((await as(keys.get('alice') as string, '/v1/jobs?all=true')).body as JsonBody[]).map((j) => j.jobId),
      [jobId],
    );
    assert.equal((await as(keys.get('bob') as string, `/v1/jobs/${jobId}`)).status, 404);
    assert.equal(((await as(keys.get('bob') as string, '/v1/jobs?all=true')).body as JsonBody[]).length, 0);
  });

  it("refuses logins past a name's failed sign-ins, counted with the console's", async () => {
    const base = { from: 'bob@example.com', to: ['5550125@fax.example'], text: 'hello' };
    // smtplib tries PLAIN and then LOGIN on each login: two failures each, so the third login meets the limit of five.
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) codes.push((await send({ ...base, login: ['bob', `guess ${i}`] })).error?.code);
    assert.deepEqual(codes, [535, 535, 454]);
    const right = await send({ ...base, login: ['bob', 'bob password'] });
    assert.deepEqual([right.accepted, right.error?.stage, right.error?.code], [false, 'auth', 454]);
    assert.match(right.error?.text ?? '', /^4\.7\.0 Too many failed sign-ins: try again in \d+ s/);
    const consoleSignIn = await requestJson(faxd.url, '/v1/session', {
      method: 'POST',
      body: { name: 'bob', password: 'bob password' },
    });
    assert.equal(consoleSignIn.status, 429);
    assert.equal(consoleSignIn.body.error.code, 'FAX_ERR_RATE_LIMITED');
    assert.deepEqual(
      (await allJobs()).filter((job) => job.recipientNumber === '5550125'),
      [],
    );
  });
});
