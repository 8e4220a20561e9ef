// Opens faxd's SQLite store with Kysely and brings its schema up to date before anything reads it.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations.js';
import type { FaxdDatabase } from './schema.js';

export type FaxdDb = Kysely<FaxdDatabase>;

export async function openDatabase(file: string): Promise<FaxdDb> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL keeps readers (status polls) from waiting on the writer, and survives a crash mid-write.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<FaxdDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}
