// The console session's limits and ends (issue 13): failed sign-ins are limited per user name and per source address
// (429 with Retry-After, whatever the password, counted before the password is checked so attempts at once cannot
// slip past), on a manual clock and against a real faxd; signing out ends that session's event streams and no other;
// the OpenAPI document lists the session cookie with its CSRF header beside bearer keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../auth/console-sessions.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { SignInThrottle } from './sign-in-throttle.js';

const PASSWORD = 'correct horse battery staple';
const note = { name: 'note.txt', contentBase64: Buffer.from('signed in').toString('base64') };

describe('the sign-in throttle on a manual clock', () => {
  it('allows five failures of a name, then one a minute; a success is no failure', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 4; i++) assert.equal(throttle.attempt('alice', '10.0.0.1', 0), 0);
    // The right password: this attempt gives its failure back.
    assert.equal(throttle.attempt('alice', '10.0.0.1', 0), 0);
    throttle.succeeded('alice', '10.0.0.1', 0);
    assert.equal(throttle.attempt('alice', '10.0.0.2', 0), 0);
    assert.equal(throttle.attempt('alice', '10.0.0.3', 0), 60);
    assert.equal(throttle.attempt('alice', '10.0.0.3', 59_000), 1);
    assert.equal(throttle.attempt('alice', '10.0.0.3', 60_000), 0);
    assert.equal(throttle.attempt('alice', '10.0.0.3', 60_000), 60);
    assert.equal(throttle.attempt('bob', '10.0.0.3', 60_000), 0, 'another name goes on');
  });

  it('allows twenty failures from an address over every name, then one every 15 s', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 20; i++) assert.equal(throttle.attempt(`user${i}`, '10.0.0.9', 1000), 0);
    assert.equal(throttle.attempt('fresh', '10.0.0.9', 1000), 15);
    // Refused by the address, the attempt took nothing from the name: it has all five after 15 s.
    for (let i = 0; i < 5; i++) assert.equal(throttle.attempt('fresh', `10.1.0.${i}`, 16_000), 0);
    assert.equal(throttle.attempt('other', '10.0.0.9', 16_000), 0);
    assert.equal(throttle.attempt('other2', '10.0.0.9', 16_000), 15);
  });
});

interface Answer {
  readonly status: number;
  readonly body: JsonBody;
  readonly headers: Headers;
}

async function send(base: string, path: string, init: { method?: string; body?: unknown; cookie?: Session } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie && { cookie: init.cookie.cookie, [CSRF_HEADER]: init.cookie.csrf }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers } as Answer;
}

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

/** The value `set-cookie` lines give cookie `name`. */
function cookieValue(cookies: string[], name: string): string {
  const line = cookies.find((cookie) => cookie.startsWith(`${name}=`));
  assert.ok(line, `a Set-Cookie for ${name} in ${cookies.join(' | ')}`);
  return line.slice(name.length + 1).split(';')[0] as string;
}

/** An open event stream, read as it comes. */
interface OpenStream {
  /** Reads until the text so far includes `marker`, or the server ends the stream; the text so far. */
  readUntil(marker: string): Promise<{ text: string; ended: boolean }>;
  cancel(): Promise<void>;
}

async function openStream(base: string, session: Session): Promise<OpenStream> {
  const response = await fetch(`${base}/v1/events`, {
    headers: { cookie: session.cookie },
    signal: AbortSignal.timeout(60_000),
  });
  assert.equal(response.status, 200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    readUntil: async (marker) => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) return { text, ended: true };
        text += decoder.decode(value, { stream: true });
      }
      return { text, ended: false };
    },
    cancel: () => reader.cancel(),
  };
}

describe('console sessions on a real faxd: sign-out, OpenAPI, failed sign-ins', () => {
  let faxd: TestFaxd;
  const signIn = async (name: string, password: string) => {
    const response = await fetch(`${faxd.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  const session = async (name: string): Promise<Session> => {
    const answer = await signIn(name, PASSWORD);
    assert.equal(answer.status, 204, JSON.stringify(answer.body));
    const cookies = answer.headers.getSetCookie();
    const [id, csrf] = [cookieValue(cookies, SESSION_COOKIE), cookieValue(cookies, CSRF_COOKIE)];
    return { cookie: `${SESSION_COOKIE}=${id}; ${CSRF_COOKIE}=${csrf}`, csrf };
  };

  before(async () => {
    faxd = await startTestFaxd({ token: 'console-limits-administrator' });
    await faxd.service.users.add('alice', parseAccessRights('submit-normal'), PASSWORD);
    await faxd.service.users.add('bob', parseAccessRights('submit-normal'), PASSWORD);
  });
  after(() => faxd.dispose());

  it("signing out ends that session's event streams, and not another session's", async () => {
    const [first, second] = [await session('alice'), await session('alice')];
    const ending = await openStream(faxd.url, first);
    const staying = await openStream(faxd.url, second);
    for (const stream of [ending, staying]) assert.equal((await stream.readUntil(': faxd events')).ended, false);

    assert.equal((await send(faxd.url, '/v1/session', { method: 'DELETE', cookie: first })).status, 204);
    const ended = await ending.readUntil('never sent');
    assert.equal(ended.ended, true);
    assert.ok(ended.text.endsWith(': the console session ended\n\n'), ended.text);
    assert.equal((await send(faxd.url, '/v1/me', { cookie: first })).status, 401);

    // The other session's stream still hears of alice's jobs.
    const job = await send(faxd.url, '/v1/jobs', {
      method: 'POST',
      cookie: second,
      body: { to: '5550111', documents: [note], scheduledAt: '2096-02-29T10:00:00Z' },
    });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const heard = await staying.readUntil(job.body.jobId);
    assert.equal(heard.ended, false);
    await staying.cancel();
  });

  it('lists the session cookie and its CSRF header beside bearer keys in the OpenAPI document', async () => {
    const { body: document } = await requestJson(faxd.url, '/openapi.json');
    const schemes = document.components.securitySchemes;
    assert.deepEqual([schemes.bearer.type, schemes.bearer.scheme], ['http', 'bearer']);
    assert.deepEqual(
      [schemes.session.type, schemes.session.in, schemes.session.name],
      ['apiKey', 'cookie', SESSION_COOKIE],
    );
    assert.deepEqual(
      [schemes.csrf.type, schemes.csrf.in, schemes.csrf.name.toLowerCase()],
      ['apiKey', 'header', CSRF_HEADER],
    );
    const jobs = document.paths['/v1/jobs'];
    assert.deepEqual(jobs.get.security, [{ bearer: [] }, { session: [] }]);
    assert.deepEqual(jobs.post.security, [{ bearer: [] }, { session: [], csrf: [] }]);
    assert.deepEqual(document.paths['/v1/session'].post.security, []);
  });

  it('refuses a name past five failed sign-ins, and an address past twenty, with 429 and Retry-After', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn('alice', `guess ${i}`)).status, 401);
    const limited = await signIn('alice', PASSWORD);
    assert.equal(limited.status, 429, 'the right password too, once the name is limited');
    assert.equal(limited.body.error.code, 'FAX_ERR_RATE_LIMITED');
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${wait}`);
    assert.equal(limited.body.error.details.retryAfterSeconds, wait);
    // bob, from the same address, is not held up by alice's failures.
    await session('bob');

    // Other names from the same address: each new name's own bucket is full, so a 429 is the address's limit.
    let refusedAfter = 0;
    for (let i = 0; i < 40 && refusedAfter === 0; i++) {
      const answer = await signIn(`stranger${i}`, 'guess');
      if (answer.status === 429) refusedAfter = i;
      else assert.equal(answer.status, 401);
    }
    assert.ok(refusedAfter >= 15, `the address limit came after ${refusedAfter} more failures`);
    const bob = await signIn('bob', PASSWORD);
    assert.equal(bob.status, 429);
    assert.ok(Number(bob.headers.get('retry-after')) >= 1);
  });
});
