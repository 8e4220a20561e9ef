// Signing in to the console (issue 13 item 1) against a real faxd: a user's name and password give an HttpOnly,
// SameSite=Strict session cookie and a CSRF token; the cookie gives the user's rights and no more; a change without
// the token is refused; signing out and removing the user end the session; a wrong password and an unknown name get
// the same 401; an API key works as before.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../auth/console-sessions.js';
import { type JsonBody, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { createTestCertificateAuthority } from '../testing/test-certificates.js';

const ADMIN = 'session-test-administrator';
const PASSWORD = 'correct horse battery staple';
const note = { name: 'note.txt', contentBase64: Buffer.from('signed in').toString('base64') };

interface Answer {
  readonly status: number;
  readonly body: JsonBody;
  readonly cookies: string[];
}

async function send(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    cookies: response.headers.getSetCookie(),
  };
}

/** The value `set-cookie` lines give cookie `name`. */
function cookieValue(cookies: string[], name: string): string {
  const line = cookies.find((cookie) => cookie.startsWith(`${name}=`));
  assert.ok(line, `a Set-Cookie for ${name} in ${cookies.join(' | ')}`);
  return line.slice(name.length + 1).split(';')[0] as string;
}

describe('console sessions on a real faxd', () => {
  let faxd: TestFaxd;
  const signIn = (name: string, password: string) =>
    send(faxd.url, '/v1/session', { method: 'POST', body: { name, password } });

  /** Signs `name` in; the Cookie header and CSRF token their requests carry. */
  async function session(name: string): Promise<{ cookie: string; csrf: string; cookies: string[] }> {
    const answer = await signIn(name, PASSWORD);
    assert.equal(answer.status, 204, JSON.stringify(answer.body));
    const id = cookieValue(answer.cookies, SESSION_COOKIE);
    const csrf = cookieValue(answer.cookies, CSRF_COOKIE);
    return { cookie: `${SESSION_COOKIE}=${id}; ${CSRF_COOKIE}=${csrf}`, csrf, cookies: answer.cookies };
  }

  before(async () => {
    faxd = await startTestFaxd({ token: ADMIN });
    await faxd.service.users.add('alice', parseAccessRights('submit-normal'), PASSWORD);
    await faxd.service.users.add('bob', parseAccessRights('query-config'), PASSWORD);
    await faxd.service.users.add('keyonly', parseAccessRights('all'));
    // A job of someone else's, which alice's session must not show.
    const other = await send(faxd.url, '/v1/jobs', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
      body: { to: '5550199', documents: [note], scheduledAt: '2096-02-29T10:00:00Z' },
    });
    assert.equal(other.status, 201);
  });
  after(() => faxd.dispose());

  it('sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie, not Secure over plain HTTP', async () => {
    const { cookies } = await session('alice');
    const [sessionLine, csrfLine] = [SESSION_COOKIE, CSRF_COOKIE].map((name) =>
      cookies.find((line) => line.startsWith(`${name}=`)),
    );
    assert.match(sessionLine ?? '', /; HttpOnly/);
    assert.match(sessionLine ?? '', /; SameSite=Strict/);
    assert.match(sessionLine ?? '', /; Path=\//);
    assert.doesNotMatch(sessionLine ?? '', /Secure/);
    assert.doesNotMatch(csrfLine ?? '', /HttpOnly/, 'the console must read the CSRF token');
    assert.match(csrfLine ?? '', /; SameSite=Strict/);
  });

  it('gives the cookie exactly the user’s rights, and takes a change only with the CSRF token', async () => {
    const alice = await session('alice');
    const me = await send(faxd.url, '/v1/me', { headers: { cookie: alice.cookie } });
    assert.equal(me.status, 200);
    assert.equal(me.body.name, 'alice');
    assert.deepEqual(me.body.rights, ['submit-low', 'submit-normal'], 'submit-normal implies submit-low');
    assert.deepEqual((await send(faxd.url, '/v1/jobs?all=true', { headers: { cookie: alice.cookie } })).body, []);
    assert.equal((await send(faxd.url, '/v1/ports', { headers: { cookie: alice.cookie } })).status, 403);

    const job = { to: '5550100', documents: [note], scheduledAt: '2096-02-29T10:00:00Z' };
    const bare = await send(faxd.url, '/v1/jobs', { method: 'POST', body: job, headers: { cookie: alice.cookie } });
    assert.equal(bare.status, 403);
    assert.equal(bare.body.error.code, 'FAX_ERR_ACCESS_DENIED');
    const forged = await send(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: job,
      headers: { cookie: alice.cookie, [CSRF_HEADER]: 'x'.repeat(alice.csrf.length) },
    });
    assert.equal(forged.status, 403);
    const bob = await session('bob');
    const crossed = await send(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: job,
      headers: { cookie: alice.cookie, [CSRF_HEADER]: bob.csrf },
    });
    assert.equal(crossed.status, 403, 'another session’s token does not do');
    assert.deepEqual((await send(faxd.url, '/v1/jobs?all=true', { headers: { cookie: alice.cookie } })).body, []);

    const sent = await send(faxd.url, '/v1/jobs', {
      method: 'POST',
      body: job,
      headers: { cookie: alice.cookie, [CSRF_HEADER]: alice.csrf },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const mine = await send(faxd.url, '/v1/jobs?all=true', { headers: { cookie: alice.cookie } });
    assert.deepEqual(
      mine.body.map((j: JsonBody) => j.jobId),
      [sent.body.jobId],
    );
    const audit = await send(faxd.url, `/v1/audit?user=alice`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.ok(audit.body.some((entry: JsonBody) => entry.object === `job:${sent.body.jobId}`));
  });

  it('ends the session on sign-out: the old cookie is refused 401', async () => {
    const alice = await session('alice');
    const unguarded = await send(faxd.url, '/v1/session', { method: 'DELETE', headers: { cookie: alice.cookie } });
    assert.equal(unguarded.status, 403, 'signing out by cookie needs the CSRF token too');
    const out = await send(faxd.url, '/v1/session', {
      method: 'DELETE',
      headers: { cookie: alice.cookie, [CSRF_HEADER]: alice.csrf },
    });
    assert.equal(out.status, 204);
    assert.match(out.cookies.join('\n'), new RegExp(`${SESSION_COOKIE}=; .*Max-Age=0`));
    const later = await send(faxd.url, '/v1/me', { headers: { cookie: alice.cookie } });
    assert.equal(later.status, 401);
    assert.equal(later.body.error.code, 'FAX_ERR_UNAUTHORIZED');
  });

  it('ends the session when the user is removed, and follows a change of rights at once', async () => {
    await faxd.service.users.add('carol', parseAccessRights('submit-normal'), PASSWORD);
    const carol = await session('carol');
    await faxd.service.users.setRights('carol', parseAccessRights('query-config'));
    assert.equal((await send(faxd.url, '/v1/ports', { headers: { cookie: carol.cookie } })).status, 200);
    await faxd.service.users.remove('carol');
    const gone = await send(faxd.url, '/v1/me', { headers: { cookie: carol.cookie } });
    assert.equal(gone.status, 401);
    assert.equal(gone.body.error.code, 'FAX_ERR_UNAUTHORIZED');
  });

  it('closes a session’s open event stream when its user is removed', async () => {
    await faxd.service.users.add('dave', parseAccessRights('submit-normal'), PASSWORD);
    const dave = await session('dave');
    const response = await fetch(`${faxd.url}/v1/events`, {
      headers: { cookie: dave.cookie },
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(response.status, 200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    assert.equal((await reader.read()).done, false, 'the stream opened');
    await faxd.service.users.remove('dave');
    // The stream ends of itself; a stream left open would run into the timeout's abort instead, and throw.
    while (!(await reader.read()).done) {}
  });

  it('answers a wrong password, an unknown name and a user without a password alike: 401, no cookie', async () => {
    const answers = [
      await signIn('alice', 'wrong'),
      await signIn('nobody', PASSWORD),
      await signIn('keyonly', PASSWORD),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, answers[0]?.body, 'the same answer, whichever was wrong');
      assert.deepEqual(answer.cookies, []);
    }
    assert.equal((await signIn('alice', 'wrong')).body.error.code, 'FAX_ERR_UNAUTHORIZED');
  });

  it('keeps API keys working as before, and a made-up session cookie gets nothing', async () => {
    const key = await faxd.service.users.newKey('keyonly');
    assert.equal(
      (await send(faxd.url, '/v1/me', { headers: { authorization: `Bearer ${key}` } })).body.name,
      'keyonly',
    );
    const madeUp = await send(faxd.url, '/v1/me', { headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` } });
    assert.equal(madeUp.status, 401);
    assert.equal((await send(faxd.url, '/v1/me')).status, 401);
  });
});

describe('console sessions over HTTPS', () => {
  it('marks both cookies Secure when faxd serves TLS', async () => {
    const authority = createTestCertificateAuthority();
    const faxd = await startTestFaxd({ token: ADMIN, tls: authority.issue('server') });
    try {
      await faxd.service.users.add('alice', parseAccessRights('submit-normal'), PASSWORD);
      const body = JSON.stringify({ name: 'alice', password: PASSWORD });
      const cookies = await new Promise<string[]>((resolve, reject) => {
        const request = httpsRequest(
          new URL('/v1/session', faxd.url),
          {
            method: 'POST',
            agent: false,
            ca: readFileSync(authority.caFile),
            headers: { 'content-type': 'application/json' },
          },
          (response) => {
            response.resume();
            assert.equal(response.statusCode, 204);
            resolve(response.headers['set-cookie'] ?? []);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
      assert.equal(cookies.length, 2);
      for (const cookie of cookies) assert.match(cookie, /; SameSite=Strict; Secure$/);
    } finally {
      await faxd.dispose();
      authority.dispose();
    }
  });
});
