// faxd's users and their API keys in the server's store (issue 13): what `faxd user …` changes, from its own process
// while the server runs or not, and what the API checks every request against.

import { randomBytes } from 'node:crypto';
import type { FaxAuditAction } from '@faxd/contract';
import { recordAct } from '../store/audit-log.js';
import { type FaxdDb, isUniqueViolation } from '../store/database.js';
import { makeApiKey, parseApiKey, secretMatches } from './api-keys.js';
import type { Caller } from './caller.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** A change the store refuses (a name taken or unknown): `faxd: <message>` on the command line. */
export class UserStoreError extends Error {
  override readonly name = 'UserStoreError';
}

/** A user as `faxd user list` shows one. */
export interface UserSummary {
  readonly name: string;
  readonly rights: number;
  readonly hasPassword: boolean;
  readonly createdAt: string;
  /** Keys not revoked. */
  readonly keys: number;
}

/** Who changes users in the audit log: only the command line does. */
const USER_COMMAND = 'faxd user';

/** Records a change to user `name` in the same transaction as the change. */
function recordUserChange(trx: FaxdDb, action: FaxAuditAction, name: string, time: string): Promise<void> {
  return recordAct(trx, { actor: USER_COMMAND, action, object: `user:${name}`, address: null, time });
}

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class UserStore {
  readonly #db: FaxdDb;
  readonly #now: () => Date;
  #version = 0;
  /** A hash of no one's password, checked against when a name has none, so that failing takes as long either way. */
  #decoy: Promise<string> | undefined;

  constructor(db: FaxdDb, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Counts this process's changes to users and keys. Another process's (the `faxd user` command's, another node's)
   * show in the audit log instead (key-watch.ts).
   */
  get version(): number {
    return this.#version;
  }

  /** Adds a user with `rights` (a granted mask) and, if given, a password; returns the user's first API key. */
  async add(name: string, rights: number, password?: string): Promise<string> {
    if (!USER_NAME.test(name)) {
      throw new UserStoreError(`"${name}" is not a user name: letters, digits, and . _ @ - after the first, up to 64`);
    }
    const passwordHash = password === undefined ? null : await hashPassword(password);
    const taken = () => new UserStoreError(`there is already a user named ${name}`);
    const added = this.#db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst()) throw taken();
      const createdAt = this.#now().toISOString();
      const user = await trx
        .insertInto('users')
        .values({ name, rights, password_hash: passwordHash, created_at: createdAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      const key = makeApiKey();
      await trx
        .insertInto('api_keys')
        .values({ id: key.id, user_id: user.id, secret_hash: key.secretHash, created_at: createdAt, revoked_at: null })
        .execute();
      await recordUserChange(trx, 'user-added', name, createdAt);
      this.#version++;
      return key.key;
    });
    // The same name added at once by another process (`faxd user add` beside the server, another node): the unique
    // index refuses the second.
    return added.catch((error: unknown) => {
      throw isUniqueViolation(error) ? taken() : error;
    });
  }

  async list(): Promise<UserSummary[]> {
    const rows = await this.#db
      .selectFrom('users')
      .leftJoin('api_keys', (join) =>
        join.onRef('api_keys.user_id', '=', 'users.id').on('api_keys.revoked_at', 'is', null),
      )
      .select((u) => [
        'users.name',
        'users.rights',
        'users.password_hash',
        'users.created_at',
        u.fn.count<number>('api_keys.id').as('keys'),
      ])
      .groupBy('users.id')
      .orderBy('users.name')
      .execute();
    return rows.map((row) => ({
      name: row.name,
      rights: row.rights,
      hasPassword: row.password_hash !== null,
      createdAt: row.created_at,
      keys: Number(row.keys),
    }));
  }

  /** Whether any user exists: a server with none and no token serves loopback callers without authentication. */
  async any(): Promise<boolean> {
    return (await this.#db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** Removes the user and their keys at once; the jobs they submitted stay, seen by those who see everyone's. */
  async remove(name: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const id = await this.#idOf(trx, name);
      await trx.deleteFrom('api_keys').where('user_id', '=', id).execute();
      await trx.deleteFrom('users').where('id', '=', id).execute();
      await recordUserChange(trx, 'user-removed', name, this.#now().toISOString());
    });
    this.#version++;
  }

  async setRights(name: string, rights: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const id = await this.#idOf(trx, name);
      await trx.updateTable('users').set({ rights }).where('id', '=', id).execute();
      await recordUserChange(trx, 'user-rights', name, this.#now().toISOString());
    });
    this.#version++;
  }

  /** A new API key for the user; the keys they had are revoked with it (a key shown once is replaced, not recovered). */
  async newKey(name: string): Promise<string> {
    return this.#db.transaction().execute(async (trx) => {
      const id = await this.#idOf(trx, name);
      const now = this.#now().toISOString();
      await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const key = makeApiKey();
      await trx
        .insertInto('api_keys')
        .values({ id: key.id, user_id: id, secret_hash: key.secretHash, created_at: now, revoked_at: null })
        .execute();
      await recordUserChange(trx, 'user-key', name, now);
      this.#version++;
      return key.key;
    });
  }

  /** The caller `key` stands for, read fresh from the store; undefined for a key unknown, revoked or of no user. */
  async authenticate(key: string): Promise<Caller | undefined> {
    const parsed = parseApiKey(key);
    return parsed && this.#callerOf(parsed.id, parsed.secret);
  }

  /**
   * The caller `name` and `password` stand for (SMTP AUTH at the mail gateway), with no API key; undefined for a name
   * unknown, a user without a password, or a wrong one — the console's check, as slow for every one of them.
   */
  async signIn(name: string, password: string): Promise<Caller | undefined> {
    const userId = await this.checkPassword(name, password);
    return userId === undefined ? undefined : this.callerOfUser(userId);
  }

  /**
   * The caller a key id stands for now (its rights as they are now), or undefined once it is revoked; a console
   * session's user as they are now, or undefined once removed.
   */
  async recheck(caller: Caller): Promise<Caller | undefined> {
    if (caller.keyId === null) return caller.userId === null ? caller : this.callerOfUser(caller.userId);
    return this.#callerOf(caller.keyId, null);
  }

  async #callerOf(keyId: string, secret: string | null): Promise<Caller | undefined> {
    const row = await this.#db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .select(['api_keys.secret_hash', 'users.id', 'users.name', 'users.rights'])
      .where('api_keys.id', '=', keyId)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || (secret !== null && !secretMatches(secret, row.secret_hash))) return undefined;
    return { name: row.name, userId: row.id, rights: row.rights, keyId };
  }

  /**
   * The id of the user `name` if `password` is theirs; undefined otherwise. An unknown name or a user without a
   * password costs the same scrypt as a wrong password, so the answer's time does not tell which names exist.
   */
  async checkPassword(name: string, password: string): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('name', '=', name)
      .executeTakeFirst();
    this.#decoy ??= hashPassword(randomBytes(16).toString('base64'));
    const matches = await verifyPassword(password, row?.password_hash ?? (await this.#decoy));
    return row?.password_hash != null && matches ? row.id : undefined;
  }

  /** The caller user `id` is now (rights as they are now), or undefined once the user is removed; no key. */
  async callerOfUser(id: number): Promise<Caller | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'rights'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { name: row.name, userId: row.id, rights: row.rights, keyId: null };
  }

  /** The caller user `name` is now (rights as they are now), or undefined when there is none; no key. */
  async callerNamed(name: string): Promise<Caller | undefined> {
    const row = await this.#db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst();
    return row && this.callerOfUser(row.id);
  }

  async #idOf(trx: FaxdDb, name: string): Promise<number> {
    const row = await trx.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst();
    if (!row) throw new UserStoreError(`there is no user named ${name}`);
    return row.id;
  }
}
