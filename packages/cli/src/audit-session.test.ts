// The audit log of a scripted session against a real faxd process (issue 13 item 6): users added and a key replaced
// with `faxd user`, a fax submitted, read, downloaded, canceled, its sent message downloaded and deleted with `fax rm`,
// each act read back from GET /v1/audit with who, what, which object and whence; the message's files gone with it;
// and no key or password anywhere in the store, the server's output or the API's answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FaxApiError, FaxServer } from '@faxd/client';
import { type JsonBody, requestJson, waitFor } from '@faxd/server/testing/faxd-fixture';
import { startFaxdProcess } from '@faxd/server/testing/faxd-process';

const FAXD = fileURLToPath(new URL('./faxd.js', import.meta.url));
const FAX = fileURLToPath(new URL('./fax.js', import.meta.url));
const PASSWORD = 'Op3n-Sesame-audit';
const work = mkdtempSync(join(tmpdir(), 'faxd-audit-session-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The key `faxd user add|key` printed on its last line. */
function keyFrom(args: readonly string[], config: string, input = ''): string {
  const result = spawnSync(process.execPath, [FAXD, 'user', ...args, '--config', config], {
    encoding: 'utf8',
    input,
    timeout: 30_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trimEnd().split('\n').pop() as string;
}

describe('the audit log of a scripted session', () => {
  it('records who did what to which fax and user, from where, with no secret in the store, logs or answers', async () => {
    const dataDir = join(work, 'data');
    const config = join(work, 'faxd.json');
    writeFileSync(config, JSON.stringify({ listen: '127.0.0.1:0', dataDir }));
    const admin = keyFrom(['add', 'admin', '--rights', 'all'], config);
    const alice = keyFrom(['add', 'alice', '--password'], config, `${PASSWORD}\n`);
    const faxd = await startFaxdProcess(config);
    const answers: string[] = [];
    const api = async (key: string, path: string, init: Parameters<typeof requestJson>[2] = {}) => {
      const answer = await requestJson(faxd.url, path, { ...init, headers: { authorization: `Bearer ${key}` } });
      answers.push(JSON.stringify(answer.body ?? null));
      return answer;
    };
    try {
      assert.equal(
        (await api(admin, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } })).status,
        200,
      );
      const document = {
        name: 'lab-results.txt',
        contentBase64: Buffer.from('Results: negative.\n').toString('base64'),
      };
      const submitted = await api(alice, '/v1/jobs', {
        method: 'POST',
        body: { to: '5550177', documents: [document] },
      });
      assert.equal(submitted.status, 201);
      const id = submitted.body.jobId as string;
      // Polling a job's status: one read in the log, not one a poll.
      for (let poll = 0; poll < 3; poll++) assert.equal((await api(alice, `/v1/jobs/${id}`)).status, 200);
      const tiff = await fetch(`${faxd.url}/v1/jobs/${id}/document.tif`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      assert.equal(tiff.status, 200);
      await tiff.arrayBuffer();
      assert.equal((await api(alice, `/v1/jobs/${id}/cancel`, { method: 'POST' })).status, 200);
      // The list is not audited, so waiting on it leaves no trace of its own.
      await waitFor('the canceled job in the outbox', async () =>
        ((await api(alice, '/v1/outbox')).body as JsonBody[]).some((message) => message.id === id) ? true : undefined,
      );
      const pdf = await fetch(`${faxd.url}/v1/outbox/${id}/document.pdf`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      await pdf.arrayBuffer();
      assert.ok(existsSync(join(dataDir, 'jobs', id)), 'the sent fax has its files before it is deleted');

      const removed = spawnSync(process.execPath, [FAX, 'rm', id, '--json', '--server', faxd.url], {
        encoding: 'utf8',
        env: { ...process.env, FAXD_TOKEN: alice },
        timeout: 30_000,
      });
      assert.equal(removed.status, 0, removed.stderr);
      assert.deepEqual(JSON.parse(removed.stdout), { deleted: id, archive: 'outbox' });
      assert.equal((await api(alice, `/v1/outbox/${id}`)).body.error.code, 'FAX_ERR_MESSAGE_NOT_FOUND');
      assert.ok(!existsSync(join(dataDir, 'jobs', id)), 'the files went with the message');
      const again = spawnSync(process.execPath, [FAX, 'rm', id, '--server', faxd.url], {
        encoding: 'utf8',
        env: { ...process.env, FAXD_TOKEN: alice },
        timeout: 30_000,
      });
      assert.equal(again.status, 1);
      assert.equal(again.stderr, `fax: No fax with id ${id} in the archive\n`);

      const replaced = keyFrom(['key', 'alice'], config);
      const sdk = await FaxServer.connect(faxd.url, { token: replaced });
      try {
        assert.deepEqual(await sdk.getCaller(), {
          name: 'alice',
          rights: ['submit-low', 'submit-normal'],
          grantedRights: 3,
        });
        await assert.rejects(sdk.getAuditLog(), (error: unknown) => {
          assert.ok(error instanceof FaxApiError);
          assert.equal(error.code, 'FAX_ERR_ACCESS_DENIED');
          return true;
        });
      } finally {
        sdk.disconnect();
      }

      const log = await api(admin, '/v1/audit');
      assert.equal(log.status, 200);
      const acts = (log.body as JsonBody[]).reverse();
      assert.deepEqual(
        acts.map((act) => [act.user, act.action, act.object, act.address]),
        [
          ['faxd user', 'user-added', 'user:admin', null],
          ['faxd user', 'user-added', 'user:alice', null],
          ['admin', 'queue-changed', 'queue', '127.0.0.1'],
          ['alice', 'submitted', `job:${id}`, '127.0.0.1'],
          ['alice', 'read', `job:${id}`, '127.0.0.1'],
          ['alice', 'downloaded', `job:${id}`, '127.0.0.1'],
          ['alice', 'canceled', `job:${id}`, '127.0.0.1'],
          ['alice', 'downloaded', `outbox:${id}`, '127.0.0.1'],
          ['alice', 'deleted', `outbox:${id}`, '127.0.0.1'],
          ['faxd user', 'user-key', 'user:alice', null],
        ],
      );
      for (let i = 1; i < acts.length; i++)
        assert.ok(acts[i].seq > acts[i - 1].seq && acts[i].time >= acts[i - 1].time);
      const deletions = await api(admin, '/v1/audit?user=alice&action=deleted');
      assert.deepEqual(
        (deletions.body as JsonBody[]).map((act) => act.object),
        [`outbox:${id}`],
      );
      assert.deepEqual((await api(admin, `/v1/audit?since=2999-01-01T00:00:00Z`)).body, []);
      assert.deepEqual(
        ((await api(admin, '/v1/audit?limit=2')).body as JsonBody[]).map((act) => act.action),
        ['user-key', 'deleted'],
      );
      const sdkAdmin = await FaxServer.connect(faxd.url, { token: admin });
      try {
        assert.deepEqual(
          (await sdkAdmin.getAuditLog({ action: 'submitted' })).map((act) => act.object),
          [`job:${id}`],
        );
      } finally {
        sdkAdmin.disconnect();
      }

      // Neither key (nor its secret half), nor the password, anywhere: store files, server output, API answers.
      const store = readdirSync(dataDir)
        .filter((name) => name.startsWith('faxd.sqlite'))
        .map((name) => readFileSync(join(dataDir, name)).toString('latin1'));
      assert.ok(store.length > 0);
      const places = { store: store.join('\n'), output: faxd.output(), answers: answers.join('\n') };
      // A key is faxd_<id>_<secret>, and the secret is base64url, which may hold '_' itself: the secret half is all
      // after the second '_' (a tail after the last '_' can be a few characters that occur in any file by chance).
      const secretHalf = (key: string) => key.split('_').slice(2).join('_');
      const secrets = [admin, alice, replaced].flatMap((key) => [key, secretHalf(key)]).concat(PASSWORD);
      for (const secret of secrets) assert.ok(secret.length >= 17, 'each secret at least as long as the password');
      for (const [where, text] of Object.entries(places)) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in the ${where}`);
      }
    } finally {
      const exited = new Promise((resolve) => faxd.child.once('exit', resolve));
      faxd.child.kill('SIGTERM');
      await exited;
    }
  });
});
