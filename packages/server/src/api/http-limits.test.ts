// HTTP limits and headers (issue 13 item 5) against a real faxd: a body past `limits.requestBytes` refused 413
// FAX_ERR_REQUEST_TOO_LARGE with nothing queued, a key past its rate refused 429 FAX_ERR_RATE_LIMITED with
// Retry-After while other keys go on, no limit on a keyless loopback server, the security headers on every kind of
// answer, and no key echoed in an answer. The token buckets themselves run on given times.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { TokenBuckets } from './rate-limit.js';

const ADMIN = 'limits-test-administrator';
const LIMITS = { requestBytes: 4096, requestsPerSecond: 1, requestBurst: 5 };

describe('TokenBuckets', () => {
  it('gives each key its burst, then one request per 1/rate seconds, and says when the next one may come', () => {
    const buckets = new TokenBuckets(2, 3);
    assert.deepEqual(
      [0, 0, 0, 0].map(() => buckets.take('a', 1000)),
      [0, 0, 0, 1],
    );
    assert.equal(buckets.take('b', 1000), 0, 'another key has its own bucket');
    assert.equal(buckets.take('a', 1400), 1, 'less than a token refilled after 0.4 s at 2 a second');
    assert.equal(buckets.take('a', 1500), 0, 'one token after 0.5 s');
    assert.equal(buckets.take('a', 1500), 1);
    assert.deepEqual(
      [0, 0, 0, 0].map(() => buckets.take('a', 60_000)),
      [0, 0, 0, 1],
      'refilled to the burst, no further',
    );
    buckets.sweep(120_000);
    assert.equal(buckets.take('a', 120_000), 0);
  });
});

describe('HTTP limits on a real faxd', () => {
  let faxd: TestFaxd;
  before(async () => {
    faxd = await startTestFaxd({ token: ADMIN, limits: LIMITS });
  });
  after(() => faxd.dispose());
  const key = (name: string) => faxd.service.users.add(name, parseAccessRights('all'));
  const as = (token: string, path: string, init: Parameters<typeof requestJson>[2] = {}) =>
    requestJson(faxd.url, path, { ...init, headers: { authorization: `Bearer ${token}` } });

  it('refuses a body past limits.requestBytes with 413 FAX_ERR_REQUEST_TOO_LARGE, queueing nothing', async () => {
    const mallory = await key('mallory');
    const document = { name: 'big.txt', contentBase64: Buffer.alloc(6000, 'x').toString('base64') };
    const refused = await as(mallory, '/v1/jobs', { method: 'POST', body: { to: '5550100', documents: [document] } });
    assert.equal(refused.status, 413);
    assert.equal(refused.body.error.code, 'FAX_ERR_REQUEST_TOO_LARGE');
    assert.equal(refused.body.error.message, 'The request body is larger than the limit of 4096 bytes');
    assert.deepEqual((await as(mallory, '/v1/jobs?all=true')).body, []);
  });

  it('refuses a key past its rate with 429 and Retry-After, while another key and the token go on', async () => {
    const busy = await key('busy');
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${faxd.url}/v1/me`, { headers: { authorization: `Bearer ${busy}` } })),
    );
    const seconds = (Date.now() - started) / 1000;
    const accepted = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    assert.equal(accepted + refused.length, 20);
    // The burst, and one a second for however long the requests took.
    assert.ok(
      accepted >= LIMITS.requestBurst && accepted <= LIMITS.requestBurst + Math.ceil(seconds) + 1,
      `${accepted}`,
    );
    assert.ok(refused.length > 0);
    for (const answer of refused) {
      assert.equal(answer.headers.get('retry-after'), '1');
      const body = (await answer.json()) as JsonBody;
      assert.equal(body.error.code, 'FAX_ERR_RATE_LIMITED');
      assert.equal(body.error.message, 'Too many requests with this key: try again in 1 s');
    }
    assert.equal((await as(await key('calm'), '/v1/me')).status, 200, 'another key has its own bucket');
    assert.equal((await as(ADMIN, '/v1/me')).status, 200, 'and so has the token');
  });

  it('sends the security headers with JSON, errors, files and the event stream, and no-store on the API', async () => {
    const reader = await key('reader');
    const headers = { authorization: `Bearer ${reader}` };
    const abort = new AbortController();
    const answers = {
      json: await fetch(`${faxd.url}/v1/queue`, { headers }),
      error: await fetch(`${faxd.url}/v1/jobs/never0existed`, { headers }),
      unknown: await fetch(`${faxd.url}/nowhere`, { headers }),
      openapi: await fetch(`${faxd.url}/openapi.json`),
      events: await fetch(`${faxd.url}/v1/events`, { headers, signal: abort.signal }),
    };
    try {
      for (const [what, answer] of Object.entries(answers)) {
        assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', what);
        assert.equal(answer.headers.get('content-security-policy'), "frame-ancestors 'none'", what);
        assert.equal(answer.headers.get('x-frame-options'), 'DENY', what);
        assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', what);
        if (what !== 'unknown' && what !== 'events')
          assert.equal(answer.headers.get('cache-control'), 'no-store', what);
      }
      assert.equal(answers.events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    } finally {
      abort.abort();
    }
  });

  it('never echoes a key it refuses', async () => {
    const guess = `faxd_0123456789abcdef_${'S3cr3t'.repeat(7)}x`;
    const refused = await as(guess, '/v1/me');
    assert.equal(refused.status, 401);
    assert.ok(!JSON.stringify(refused.body).includes('S3cr3t'));
  });
});

describe('a loopback faxd without users or token', () => {
  it('has no keys, so no rate limit', async () => {
    const faxd = await startTestFaxd({ limits: LIMITS });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => requestJson(faxd.url, '/v1/me')));
      assert.deepEqual(
        answers.map((answer) => answer.status),
        Array(20).fill(200),
      );
    } finally {
      await faxd.dispose();
    }
  });
});
