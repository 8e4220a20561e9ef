// Deleting archived faxes (DESIGN.md §3 "Users", IFaxIncomingMessage/IFaxOutgoingMessage.Delete) against a real faxd:
// the owner or manage-archives deletes, a caller who sees the fax without either is refused 403, one who does not see
// it gets the 404 of a missing id; the files go with the row, the removal is announced and audited, and a removal cut
// short after its row went (a crash) is finished at the next start.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { openTestStore } from '../testing/test-store.js';

const ADMIN = 'delete-test-administrator';
const text = (name: string) => ({ name, contentBase64: Buffer.from('faxd archive delete').toString('base64') });

describe('deleting archived faxes', () => {
  let dir = '';
  let faxd: TestFaxd;
  const keys = new Map<string, string>();
  const as = (who: string, path: string, init: Parameters<typeof requestJson>[2] = {}) =>
    requestJson(faxd.url, path, { ...init, headers: { authorization: `Bearer ${keys.get(who) ?? who}` } });
  let sent = '';
  let received = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-archive-delete-'));
    faxd = await startTestFaxd({ token: ADMIN }, dir);
    for (const [who, rights] of [
      ['alice', 'submit-normal'],
      ['bob', 'submit-normal'],
      ['reader', 'query-archives'],
      ['archivist', 'manage-archives'],
    ] as const) {
      keys.set(who, await faxd.service.users.add(who, parseAccessRights(rights)));
    }
    const fax = await as(ADMIN, '/v1/jobs', {
      method: 'POST',
      body: { to: '5550199', line: 1, documents: [text('in.txt')] },
    });
    assert.equal(fax.status, 201);
    [{ id: received }] = await waitFor('the fax in the inbox', async () => {
      const inbox = (await as(ADMIN, '/v1/inbox')).body as JsonBody[];
      return inbox.length > 0 ? inbox : undefined;
    });
    await waitFor('the fax to end', async () =>
      (await as(ADMIN, `/v1/jobs/${fax.body.jobId}`)).body.messageId ? true : undefined,
    );
    await as(ADMIN, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const job = await as('alice', '/v1/jobs', { method: 'POST', body: { to: '5550101', documents: [text('a.txt')] } });
    sent = job.body.jobId;
    assert.equal((await as('alice', `/v1/jobs/${sent}/cancel`, { method: 'POST' })).status, 200);
    await waitFor('alice’s sent message', async () =>
      (await as('alice', `/v1/outbox`)).body.length ? true : undefined,
    );
  });
  after(async () => {
    await faxd.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses callers other than the owner and manage-archives, with nothing deleted', async () => {
    const other = await as('bob', `/v1/outbox/${sent}`, { method: 'DELETE' });
    const never = await as('bob', '/v1/outbox/never0existed', { method: 'DELETE' });
    assert.equal(other.status, 404);
    assert.equal(JSON.stringify(other.body), JSON.stringify(never.body).replace('never0existed', sent));
    const seer = await as('reader', `/v1/outbox/${sent}`, { method: 'DELETE' });
    assert.equal(seer.status, 403);
    assert.equal(seer.body.error.code, 'FAX_ERR_ACCESS_DENIED');
    assert.equal((await as('alice', `/v1/inbox/${received}`, { method: 'DELETE' })).status, 404);
    assert.equal((await as('reader', `/v1/inbox/${received}`, { method: 'DELETE' })).status, 403);
    assert.equal((await as('alice', `/v1/outbox/${sent}`)).status, 200);
    assert.equal((await as('reader', `/v1/inbox/${received}`)).status, 200);
    assert.deepEqual(await faxd.service.audit.list({ action: 'deleted' }), []);
  });

  it('lets the sender delete a sent fax, and manage-archives a received one, the files going with each', async () => {
    assert.ok(existsSync(join(dir, 'jobs', sent)));
    assert.ok(existsSync(join(dir, 'inbox', `${received}.tif`)) && existsSync(join(dir, 'inbox', `${received}.pdf`)));
    assert.equal((await as('alice', `/v1/outbox/${sent}`, { method: 'DELETE' })).status, 204);
    assert.equal((await as('archivist', `/v1/inbox/${received}`, { method: 'DELETE' })).status, 204);
    assert.equal((await as('alice', `/v1/outbox/${sent}`)).body.error.code, 'FAX_ERR_MESSAGE_NOT_FOUND');
    assert.equal((await as('archivist', `/v1/inbox/${received}`)).body.error.code, 'FAX_ERR_MESSAGE_NOT_FOUND');
    assert.equal((await as('alice', `/v1/outbox/${sent}`, { method: 'DELETE' })).status, 404, 'gone already');
    assert.ok(!existsSync(join(dir, 'jobs', sent)), 'the sent fax’s files are gone');
    assert.ok(!existsSync(join(dir, 'inbox', `${received}.tif`)) && !existsSync(join(dir, 'inbox', `${received}.pdf`)));
    const removed = faxd.events.filter((event) => event.event.endsWith('MessageRemoved'));
    assert.deepEqual(removed, [
      { event: 'outgoingMessageRemoved', messageId: sent },
      { event: 'incomingMessageRemoved', messageId: received },
    ]);
    const deletions = await faxd.service.audit.list({ action: 'deleted' });
    assert.deepEqual(
      deletions.map((act) => [act.user, act.object, act.address]),
      [
        ['archivist', `inbox:${received}`, '127.0.0.1'],
        ['alice', `outbox:${sent}`, '127.0.0.1'],
      ],
    );
  });

  it('finishes at the next start a removal whose row went but whose files a crash left', async () => {
    await faxd.close();
    const left = join(dir, 'jobs', 'cut0short');
    await mkdir(left, { recursive: true });
    await writeFile(join(left, 'fax.tif'), 'pages of a deleted fax');
    // What the store holds after the delete's transaction committed and before its files went.
    const db = await openTestStore(dir);
    await db.insertInto('file_removals').values({ path: left, recursive: 1 }).execute();
    await db.destroy();
    faxd = await startTestFaxd({ token: ADMIN }, dir);
    assert.ok(!existsSync(left), 'the files are removed at start');
    const db2 = await openTestStore(dir);
    try {
      assert.deepEqual(await db2.selectFrom('file_removals').selectAll().execute(), []);
    } finally {
      await db2.destroy();
    }
  });
});
