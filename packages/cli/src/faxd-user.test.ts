// `faxd user` through the real command against the store of a real faxd process: keys printed alone on the last
// line, rights by name (a bad one refused with nothing changed), changes seen by the running server at its next
// request, a replaced key refused at once, users and keys kept across a restart, and a server that refuses to listen
// beyond loopback with no way to authenticate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requestJson } from '@faxd/server/testing/faxd-fixture';
import { type FaxdProcess, startFaxdProcess } from '@faxd/server/testing/faxd-process';
import { testStoreKeys } from '@faxd/server/testing/test-store';

const FAXD = fileURLToPath(new URL('./faxd.js', import.meta.url));
const FAX = fileURLToPath(new URL('./fax.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'faxd-user-command-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A configuration over a data directory of its own, on the test store (FAXD_TEST_STORE). */
async function configIn(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const file = join(work, `${name}.json`);
  const dataDir = join(work, name);
  const store = await testStoreKeys(dataDir);
  writeFileSync(file, JSON.stringify({ listen: '127.0.0.1:0', dataDir, ...store, ...extra }));
  return file;
}

function faxdUser(config: string, args: readonly string[], input = '') {
  return spawnSync(process.execPath, [FAXD, 'user', ...args, '--config', config], {
    encoding: 'utf8',
    input,
    timeout: 30_000,
  });
}

/** The key `faxd user add|key` printed: its whole last line. */
function keyOf(result: ReturnType<typeof faxdUser>): string {
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  const key = lines[lines.length - 1] as string;
  assert.match(key, /^faxd_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/, `the last line is the key alone: ${result.stdout}`);
  return key;
}

function me(url: string, key?: string) {
  return requestJson(url, '/v1/me', { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

async function stop(faxd: FaxdProcess): Promise<void> {
  const exited = new Promise((resolve) => faxd.child.once('exit', resolve));
  faxd.child.kill('SIGTERM');
  await exited;
}

describe('faxd user', () => {
  it('refuses a right it does not know by name, exit 1, adding nobody', async () => {
    const config = await configIn('refusals');
    const refused = faxdUser(config, ['add', 'eve', '--rights', 'submit-normal,query-jobs']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^faxd: "query-jobs" is not an access right; the rights are submit-low, /);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(faxdUser(config, ['rights', 'eve', 'all']).stderr, 'faxd: there is no user named eve\n');
    assert.match(faxdUser(config, ['frobnicate']).stderr, /^faxd: unknown user command "frobnicate"/);
    assert.match(faxdUser(config, ['add']).stderr, /^faxd: faxd user add takes NAME/);
    assert.equal(faxdUser(config, ['list']).stdout, 'no users\n');
  });

  it('adds, lists, changes and removes users of a running server, which sees each change at once', async () => {
    const config = await configIn('cycle');
    const alice = keyOf(faxdUser(config, ['add', 'alice', '--rights', 'submit-high,query-config']));
    const bob = keyOf(faxdUser(config, ['add', 'bob', '--password'], 'tr0ub4dor\n'));
    const list = faxdUser(config, ['list']).stdout.split('\n');
    assert.match(list[0] ?? '', /^NAME\s+RIGHTS\s+KEYS\s+PASSWORD\s+CREATED$/);
    assert.match(list[1] ?? '', /^alice\s+submit-low,submit-normal,submit-high,query-config\s+1\s+no\s+\d{4}-/);
    assert.match(list[2] ?? '', /^bob\s+submit-low,submit-normal\s+1\s+yes\s/);

    let faxd = await startFaxdProcess(config);
    try {
      assert.deepEqual(await me(faxd.url, alice), {
        status: 200,
        body: {
          name: 'alice',
          rights: ['submit-low', 'submit-normal', 'submit-high', 'query-config'],
          grantedRights: 0x27,
        },
      });
      assert.deepEqual((await me(faxd.url, bob)).body, {
        name: 'bob',
        rights: ['submit-low', 'submit-normal'],
        grantedRights: 3,
      });
      const anonymous = await me(faxd.url);
      assert.equal(anonymous.status, 401, 'with users, a request without a key is refused');
      assert.equal(anonymous.body.error.code, 'FAX_ERR_UNAUTHORIZED');

      assert.equal(faxdUser(config, ['rights', 'alice', 'query-archives']).status, 0);
      assert.deepEqual((await me(faxd.url, alice)).body.rights, ['query-archives']);

      const replaced = keyOf(faxdUser(config, ['key', 'alice']));
      const refused = await me(faxd.url, alice);
      assert.equal(refused.status, 401, 'the replaced key is refused at once');
      assert.equal(refused.body.error.code, 'FAX_ERR_UNAUTHORIZED');
      assert.equal((await me(faxd.url, replaced)).status, 200);

      await stop(faxd);
      faxd = await startFaxdProcess(config);
      assert.deepEqual((await me(faxd.url, replaced)).body, {
        name: 'alice',
        rights: ['query-archives'],
        grantedRights: 0x80,
      });
      assert.equal((await me(faxd.url, bob)).status, 200, 'keys survive a restart');
      assert.equal((await me(faxd.url, alice)).status, 401, 'and so do revocations');

      assert.equal(faxdUser(config, ['remove', 'bob']).status, 0);
      assert.equal((await me(faxd.url, bob)).status, 401);
      assert.match(faxdUser(config, ['list']).stdout, /^NAME.*\nalice\s[^\n]*\n$/);
    } finally {
      await stop(faxd);
    }
  });

  it('ends an open event stream at once when its key is replaced, and the fax command sends a user’s key', async () => {
    const config = await configIn('revoke');
    const alice = keyOf(faxdUser(config, ['add', 'alice']));
    const faxd = await startFaxdProcess(config);
    try {
      const response = await fetch(`${faxd.url}/v1/events`, { headers: { authorization: `Bearer ${alice}` } });
      assert.equal(response.status, 200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      assert.match(text, /^: faxd events/);
      keyOf(faxdUser(config, ['key', 'alice']));
      // The stream ends by itself (the test's own time limit bounds the wait).
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      assert.match(text, /: the API key was revoked\n\n$/);

      const fresh = keyOf(faxdUser(config, ['key', 'alice']));
      const fax = (args: string[], token: string) =>
        spawnSync(process.execPath, [FAX, ...args, '--server', faxd.url], {
          encoding: 'utf8',
          env: { ...process.env, FAXD_TOKEN: token },
          timeout: 30_000,
        });
      const ports = fax(['ports'], fresh);
      assert.equal(ports.status, 1);
      assert.equal(ports.stderr, 'fax: Access denied: GET /v1/status needs the right query-config\n');
      const jobs = fax(['jobs', '--json'], fresh);
      assert.equal(jobs.status, 0, jobs.stderr);
      assert.deepEqual(JSON.parse(jobs.stdout), []);
      assert.match(fax(['jobs'], alice).stderr, /^fax: Authentication required: the key is not valid/);
    } finally {
      await stop(faxd);
    }
  });

  it('keeps a token as the administrator key beside users', async () => {
    const config = await configIn('token', { token: 'adm1n' });
    keyOf(faxdUser(config, ['add', 'carol']));
    const faxd = await startFaxdProcess(config);
    try {
      assert.deepEqual((await me(faxd.url, 'adm1n')).body, {
        name: 'administrator',
        rights: [
          'submit-low',
          'submit-normal',
          'submit-high',
          'query-out-jobs',
          'manage-out-jobs',
          'query-config',
          'manage-config',
          'query-archives',
          'manage-archives',
          'manage-receive-folder',
        ],
        grantedRights: 0x3ff,
      });
      assert.equal((await me(faxd.url, 'adm1n ')).status, 200, 'the header’s trailing space is not the token’s');
      assert.equal((await me(faxd.url, 'adm1nx')).status, 401);
    } finally {
      await stop(faxd);
    }
  });

  it('refuses to listen beyond loopback without a token or a user, and starts once there is a user', async () => {
    const config = await configIn('exposed', { listen: '0.0.0.0:0' });
    const refused = spawnSync(process.execPath, [FAXD, '--config', config], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^faxd: invalid configuration at token: faxd listens on 0\.0\.0\.0, which other/);
    assert.match(refused.stderr, /set "token" in the configuration or add a user with `faxd user add NAME`/);
    const key = keyOf(faxdUser(config, ['add', 'dave', '--rights', 'all']));
    const faxd = await startFaxdProcess(config);
    try {
      const url = faxd.url.replace('0.0.0.0', '127.0.0.1');
      assert.equal((await me(url)).status, 401);
      assert.equal((await me(url, key)).body.grantedRights, 0x3ff);
    } finally {
      await stop(faxd);
    }
  });

  it('serves anyone on loopback with neither users nor a token, as before users', async () => {
    const faxd = await startFaxdProcess(await configIn('open'));
    try {
      const { body } = await me(faxd.url);
      assert.equal(body.name, 'anonymous');
      assert.equal(body.grantedRights, 0x3ff);
      assert.deepEqual((await me(faxd.url, 'left-over-token')).body, body, 'a stray key is not looked at');
      const open = await configIn('open');
      keyOf(faxdUser(open, ['add', 'first']));
      assert.equal((await me(faxd.url)).status, 401, 'the first user added ends the open door at once');
    } finally {
      await stop(faxd);
    }
  });
});
