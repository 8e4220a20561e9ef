// The user store: users with rights and scrypt-hashed passwords, API keys kept only as hashes, found by their id,
// replaced and revoked; what the server authenticates callers with.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_ACCESS_RIGHTS_ENUM_2 as R } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import { openTestStore } from '../testing/test-store.js';
import { parseApiKey } from './api-keys.js';
import { verifyPassword } from './passwords.js';
import { UserStore } from './user-store.js';

describe('UserStore', () => {
  let dir = '';
  let db: FaxdDb;
  let users: UserStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-users-'));
    db = await openTestStore(dir);
    users = new UserStore(db, () => new Date('2026-03-04T05:06:07Z'));
  });
  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a user whose first key authenticates it with its rights, the key stored only as a hash', async () => {
    const key = await users.add('alice', R.far2SUBMIT_LOW | R.far2SUBMIT_NORMAL);
    const parsed = parseApiKey(key);
    assert.ok(parsed, `a key has the faxd_<id>_<secret> shape: ${key}`);
    assert.deepEqual(await users.authenticate(key), { name: 'alice', userId: 1, rights: 3, keyId: parsed.id });
    const stored = await db.selectFrom('api_keys').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.id, parsed.id);
    assert.doesNotMatch(JSON.stringify(stored), new RegExp(parsed.secret), 'the secret is not stored');
    assert.equal(await users.authenticate(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`), undefined);
    assert.equal(await users.authenticate(`faxd_0000000000000000_${'x'.repeat(43)}`), undefined);
    assert.equal(await users.authenticate('not a key'), undefined);
  });

  it('hashes a password with scrypt and its parameters, and refuses a second user of a name or a bad name', async () => {
    await users.add('bob', R.far2QUERY_CONFIG, 'correct horse');
    const row = await db.selectFrom('users').selectAll().where('name', '=', 'bob').executeTakeFirstOrThrow();
    assert.match(row.password_hash ?? '', /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.equal(await verifyPassword('correct horse', row.password_hash ?? ''), true);
    assert.equal(await verifyPassword('correct horse ', row.password_hash ?? ''), false);
    await assert.rejects(users.add('bob', 1), /already a user named bob/);
    await assert.rejects(users.add('../bob', 1), /is not a user name/);
  });

  it('lists users with their rights and live keys', async () => {
    assert.deepEqual(await users.list(), [
      { name: 'alice', rights: 3, hasPassword: false, createdAt: '2026-03-04T05:06:07.000Z', keys: 1 },
      { name: 'bob', rights: 0x20, hasPassword: true, createdAt: '2026-03-04T05:06:07.000Z', keys: 1 },
    ]);
  });

  it('replaces a key, revoking the earlier one, and sees changed rights at the next check', async () => {
    const first = await users.newKey('carol').catch((error: Error) => error.message);
    assert.match(String(first), /no user named carol/);
    const old = await users.add('carol', 1);
    const versionBefore = users.version;
    const fresh = await users.newKey('carol');
    assert.equal(await users.authenticate(old), undefined, 'the earlier key is revoked');
    const caller = await users.authenticate(fresh);
    assert.equal(caller?.name, 'carol');
    await users.setRights('carol', 0x3ff);
    assert.equal((await users.recheck(caller!))?.rights, 0x3ff);
    assert.ok(users.version > versionBefore);
    await users.remove('carol');
    assert.equal(await users.authenticate(fresh), undefined, 'a removed user’s key is refused');
    assert.equal(await users.recheck(caller!), undefined);
    assert.deepEqual(
      (await users.list()).map((user) => user.name),
      ['alice', 'bob'],
    );
    await assert.rejects(users.remove('carol'), /no user named carol/);
  });

  it('records each change in the audit log as the command’s act, and nothing of a change refused', async () => {
    const acts = await db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'object', 'address'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      acts.map((act) => [act.action, act.object]),
      [
        ['user-added', 'user:alice'],
        ['user-added', 'user:bob'],
        ['user-added', 'user:carol'],
        ['user-key', 'user:carol'],
        ['user-rights', 'user:carol'],
        ['user-removed', 'user:carol'],
      ],
    );
    assert.ok(acts.every((act) => act.actor === 'faxd user' && act.address === null));
  });
});
