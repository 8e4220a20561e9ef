// The audit log (issue 13 item 6): who submitted, read, downloaded, canceled or deleted what, when and from where, and
// who changed users and keys. It names objects and people, never a key, password or token.

import type { FaxAuditAction, FaxAuditEntry } from '@faxd/contract';
import type { Caller } from '../auth/caller.js';
import type { FaxdDb } from './database.js';

/** One act to record; `time` defaults to now. */
export interface AuditAct {
  readonly actor: string;
  readonly action: FaxAuditAction;
  readonly object: string;
  readonly address: string | null;
  readonly time?: string;
}

/** GET /v1/audit's filters. */
export interface AuditQuery {
  readonly since?: string;
  readonly user?: string;
  readonly action?: string;
  readonly limit?: number;
}

/** The actor a caller is recorded as: the configuration's token is `token`, not the administrator's name. */
export function actorOf(caller: Caller): string {
  return caller.userId === null && caller.name === 'administrator' ? 'token' : caller.name;
}

export const AUDIT_DEFAULT_LIMIT = 100;

/** Records one act; with `db` a transaction, the act stands or falls with the change it records. */
export async function recordAct(db: FaxdDb, act: AuditAct): Promise<void> {
  const { time = new Date().toISOString(), ...rest } = act;
  await db
    .insertInto('audit_log')
    .values({ time, ...rest })
    .execute();
}

/** The log in the store: what the API records and GET /v1/audit reads. */
export class AuditLog {
  readonly #db: FaxdDb;

  constructor(db: FaxdDb) {
    this.#db = db;
  }

  record(act: AuditAct): Promise<void> {
    return recordAct(this.#db, act);
  }

  /** The acts matching `query`, newest first. */
  async list(query: AuditQuery): Promise<FaxAuditEntry[]> {
    let select = this.#db.selectFrom('audit_log').selectAll();
    if (query.since !== undefined) select = select.where('time', '>=', new Date(query.since).toISOString());
    if (query.user !== undefined) select = select.where('actor', '=', query.user);
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    const rows = await select
      .orderBy('seq', 'desc')
      .limit(query.limit ?? AUDIT_DEFAULT_LIMIT)
      .execute();
    return rows.map((row) => ({
      seq: row.seq,
      time: row.time,
      user: row.actor,
      action: row.action as FaxAuditAction,
      object: row.object,
      address: row.address,
    }));
  }
}

/** Forgets the acts from before `before` (an ISO time): the log is kept as long as the archives (archive.ts). */
export async function pruneActs(db: FaxdDb, before: string): Promise<void> {
  await db.deleteFrom('audit_log').where('time', '<', before).execute();
}
