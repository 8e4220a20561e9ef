// Hostile requests at a real faxd process over a real socket: oversized bodies, malformed JSON, wrong types, path
// traversal in ids and document names, and 1,000 random byte strings at every route of /openapi.json. Each is
// answered 4xx with a FAX_ERR_* body and no stack trace, never 5xx, and the store (its rows and files) is unchanged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '@faxd/protocol/testing/lossy-link';
import { sql } from 'kysely';
import { requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { answerProblem, type HttpInput, send, submissionBody } from '../testing/hostile-http.js';
import { openTestStore } from '../testing/test-store.js';

/**
 * Every row of every table, and every file but the database's own, with a hash of its bytes. A node's heartbeat is the
 * one value that moves by itself while faxd runs, so it is left out of the `nodes` rows.
 */
async function storeSnapshot(dataDir: string): Promise<Record<string, unknown>> {
  const database = await openTestStore(dataDir);
  const rows: Record<string, string[]> = {};
  try {
    const tables = (await database.introspection.getTables()).map((table) => table.name).sort();
    for (const name of tables) {
      // Rows in a stable order on either store: by their whole content.
      const table = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(database);
      rows[name] = table.rows.map(({ heartbeat_at: _heartbeat, ...row }) => JSON.stringify(row)).sort();
    }
  } finally {
    await database.destroy();
  }
  const files: Record<string, string> = {};
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('faxd.sqlite')) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dataDir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return { rows, files };
}

const text = (s: string) => new TextEncoder().encode(s);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly body: boolean;
  readonly params: readonly string[];
}

describe('hostile requests at faxd', () => {
  let directory: string;
  let faxd: FaxdProcess;
  let base: URL;
  let jobId: string;
  let operations: Operation[];
  let before_: Record<string, unknown>;

  /** A path for `operation` with `value` (already encoded) as its first parameter, real values for the others. */
  const pathFor = (operation: Operation, value?: string) => {
    let path = operation.template;
    operation.params.forEach((param, i) => {
      const real = param === 'operation' ? 'pause' : param === 'page' ? '1' : param === 'deviceId' ? '1' : jobId;
      path = path.replace(`{${param}}`, i === 0 && value !== undefined ? value : real);
    });
    return path;
  };

  /** Sends `input` and checks the answer is a 4xx with a FAX_ERR_* body and no stack trace. */
  const refused = async (what: string, input: HttpInput, headers?: Record<string, string>) => {
    const answer = await send(base, agent, input, headers);
    const problem = answerProblem(answer, input.method);
    assert.equal(problem, undefined, `${what}: ${problem}`);
    assert.ok(
      answer.status >= 400 && answer.status < 500,
      `${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`,
    );
    return answer;
  };

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'faxd-hostile-'));
    faxd = await startFaxdProcess(await writeFaxdConfig(directory, { dataDir: join(directory, 'var') }));
    base = new URL(faxd.url);
    // One job held in the queue, so ids that exist are at hand and nothing changes the store on its own.
    assert.equal(
      (await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } })).status,
      200,
    );
    jobId = await submitText(faxd.url, 'a job that stays queued');
    const document = (await (await fetch(`${faxd.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        body: operation.requestBody !== undefined,
        params: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      })),
    );
    // The submission's serverActivityChange is logged up to half a second after it (a window's changes are counted
    // once): only then is the store still.
    before_ = await waitFor('the submission’s serverActivityChange to be logged', async () => {
      const snapshot = await storeSnapshot(join(directory, 'var'));
      const events = (snapshot.rows as Record<string, string[]>).events ?? [];
      const announced = events.some((event) => event.includes('"name":"serverActivityChange"'));
      return announced ? snapshot : undefined;
    });
  });

  after(async () => {
    agent.destroy();
    faxd.child.kill();
    await new Promise((resolve) => faxd.child.once('exit', resolve));
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses bodies past the request limit with 413', async () => {
    const huge = new Uint8Array(96 * 1024 * 1024 + 1).fill(0x20);
    for (const path of ['/v1/jobs', '/v1/queue']) {
      const method = path === '/v1/jobs' ? 'POST' : 'PATCH';
      const answer = await refused(`${method} ${path}`, { method, path, body: huge }).catch((error: Error) => error);
      // The server may answer and close before the whole body is sent; then the client sees the socket go.
      if (answer instanceof Error) assert.match(answer.message, /EPIPE|ECONNRESET|socket hang up/);
      else assert.equal(answer.status, 413);
    }
  });

  it('refuses malformed JSON, other media types and wrong types in every body', async () => {
    const malformed = [
      '{',
      '{"to":',
      '[1,2',
      'nul',
      '\u0000',
      '{"to":"1"}}',
      "{'to':'1'}",
      '{"to":"1",}',
      '[]',
      '1',
      '"to"',
      'null',
      'true',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      '{"__proto__":{"admin":true}}',
    ];
    const wrongTypes = [
      { to: ['5550100'], documents: [] },
      { to: '5550100', documents: {} },
      { to: '5550100', documents: [{ name: 1, contentBase64: 'QQ==' }] },
      { to: 5_550_100, documents: [{ name: 'a.txt', contentBase64: 'QQ==' }] },
      { outgoingQueuePaused: 'yes' },
      { outgoingQueueBlocked: 0 },
    ];
    for (const operation of operations.filter((o) => o.body)) {
      const path = pathFor(operation);
      for (const body of [...malformed, ...wrongTypes.map((value) => JSON.stringify(value))]) {
        await refused(`${operation.method} ${path} ${body.slice(0, 40)}`, {
          method: operation.method,
          path,
          body: text(body),
        });
      }
      await refused(
        `${operation.method} ${path} as text/plain`,
        { method: operation.method, path, body: text('{}') },
        {
          'content-type': 'text/plain',
        },
      );
    }
  });

  it('refuses path traversal in every id and in document names', async () => {
    const traversals = [
      '..',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2f%2e%2e%2fvar',
      '..%5c..%5cwindows',
      'a%00b',
      '....%2F%2F',
      'A'.repeat(65),
      'A'.repeat(101),
      '%252e%252e%252f',
      '.%2e/%2e./faxd.sqlite',
      '%C0%AE%C0%AE%2F',
      '%ff',
    ];
    for (const operation of operations.filter((o) => o.params.length > 0)) {
      for (const traversal of traversals) {
        const path = pathFor(operation, traversal);
        await refused(`${operation.method} ${path}`, {
          method: operation.method,
          path,
          body: text(operation.body ? '{}' : ''),
        });
      }
    }
    for (const name of [
      '../../../../tmp/faxd-escape.txt',
      '/etc/passwd',
      '..\\..\\boot.ini',
      'a\u0000.txt',
      '..',
      '.',
      'C:\\faxes\\x.txt',
      '',
    ]) {
      const body = JSON.parse(submissionBody());
      body.documents[0].name = name;
      const answer = await refused(`a document named ${JSON.stringify(name)}`, {
        method: 'POST',
        path: '/v1/jobs',
        body: text(JSON.stringify(body)),
      });
      assert.match(answer.body, /FAX_ERR_BAD_REQUEST/);
    }
  });

  // (The limit only turns a HEAD left waiting forever into a failure instead of a suite that never ends.)
  it('refuses a request line past the header size limit with 431 and a FAX_ERR_* body, then serves the next', async () => {
    const path = `/v1/jobs/${'%ff'.repeat(8000)}`;
    const answer = await refused('a 24 KB path', { method: 'GET', path, body: new Uint8Array(0) });
    assert.equal(answer.status, 431);
    assert.equal((await send(base, agent, { method: 'GET', path: '/v1/status', body: new Uint8Array(0) })).status, 200);
  });

  it('answers HEAD on the event stream at once, with no stream left open', { timeout: 60_000 }, async () => {
    const answer = await send(base, agent, { method: 'HEAD', path: '/v1/events', body: new Uint8Array(0) });
    assert.equal(answer.status, 200);
    assert.match(answer.contentType, /^text\/event-stream/);
    // The same connection serves the next request: the HEAD did not leave it streaming.
    assert.equal((await send(base, agent, { method: 'GET', path: '/v1/status', body: new Uint8Array(0) })).status, 200);
  });

  // 250 a route, 9,000 requests in all, each route meeting short and long noise, any byte; the search for inputs that
  // break the API is `npm run fuzz`'s million.
  it('refuses 250 random byte strings at every route', async () => {
    const random = seededRandom(13);
    const DIGITS = /^[0-9]+$/;
    // A string of digits alone can be a real port's device id (the draw once gave "1"): that is an input, not noise.
    const bytes = () => {
      const drawn = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      return DIGITS.test(String.fromCharCode(...drawn)) ? Uint8Array.from([...drawn, 0xff]) : drawn;
    };
    const encoded = (b: Uint8Array) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('');
    for (const operation of operations) {
      for (let i = 0; i < 250; i++) {
        const noise = bytes();
        // The noise goes where the route takes outside input: its body, else its first path parameter, else a query.
        const input: HttpInput = operation.body
          ? { method: operation.method, path: pathFor(operation), body: noise }
          : operation.params.length > 0
            ? { method: operation.method, path: pathFor(operation, encoded(noise)), body: new Uint8Array(0) }
            : { method: operation.method, path: `${operation.template}?${encoded(noise)}`, body: new Uint8Array(0) };
        await refused(`${operation.method} ${operation.template} #${i}`, input);
      }
    }
  });

  it('left the store as it was, and faxd running', async () => {
    assert.equal(faxd.child.exitCode, null, faxd.output());
    assert.deepEqual(await storeSnapshot(join(directory, 'var')), before_);
    assert.doesNotMatch(faxd.output(), /\n\s+at \S/);
  });
});
