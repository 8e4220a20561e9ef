// Test support: a store that refuses some writes for real — a trigger that aborts them, as a full disk or a lock
// would — on whichever store the test runs (FAXD_TEST_STORE), so the service's handling of storage faults is tested
// against SQLite and PostgreSQL alike.

import { sql } from 'kysely';
import type { FaxdDb } from '../store/database.js';
import { testStoreKind } from './test-store.js';

export interface RefusedWrites {
  /** The trigger's name, unique in the database. */
  readonly name: string;
  readonly table: string;
  readonly operation: 'insert' | 'update' | 'delete';
  /** The error the write fails with. */
  readonly message: string;
  /** An SQL condition on NEW (insert, update) or OLD (delete) limiting the refusal to some rows; all rows when absent. */
  readonly when?: string;
}

/** Makes the store behind `db` refuse the writes `refusal` describes, until `allowWrites`. */
export async function refuseWrites(db: FaxdDb, refusal: RefusedWrites): Promise<void> {
  const { name, table, operation, message, when } = refusal;
  const condition = when === undefined ? sql`` : sql`WHEN (${sql.raw(when)})`;
  if (testStoreKind() === 'sqlite') {
    await sql`CREATE TRIGGER ${sql.id(name)} BEFORE ${sql.raw(operation.toUpperCase())} ON ${sql.table(table)}
      ${condition} BEGIN SELECT RAISE(ABORT, ${sql.lit(message)}); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION ${sql.id(name)}() RETURNS trigger LANGUAGE plpgsql
    AS ${sql.lit(`BEGIN RAISE EXCEPTION '%', ${quoted(message)}; END`)}`.execute(db);
  await sql`CREATE TRIGGER ${sql.id(name)} BEFORE ${sql.raw(operation.toUpperCase())} ON ${sql.table(table)}
    FOR EACH ROW ${condition} EXECUTE FUNCTION ${sql.id(name)}()`.execute(db);
}

/** Lets the writes `refuseWrites(db, refusal)` refused through again. */
export async function allowWrites(db: FaxdDb, refusal: Pick<RefusedWrites, 'name' | 'table'>): Promise<void> {
  if (testStoreKind() === 'sqlite') {
    await sql`DROP TRIGGER ${sql.id(refusal.name)}`.execute(db);
    return;
  }
  await sql`DROP TRIGGER ${sql.id(refusal.name)} ON ${sql.table(refusal.table)}`.execute(db);
  await sql`DROP FUNCTION ${sql.id(refusal.name)}()`.execute(db);
}

/** `text` as an SQL string literal. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
