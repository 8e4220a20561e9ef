// Opens faxd's SQLite store with Kysely and brings its schema up to date before anything reads it.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { migrationProvider } from './migrations.js';
import type { FaxdDatabase } from './schema.js';

export type FaxdDb = Kysely<FaxdDatabase>;

/** Statements kept prepared; past this many (SQL with values written in), the cache starts again. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely drives it, with each statement prepared once and kept by its SQL text: Kysely prepares every
 * query it runs, and SQLite compiling the same dozen statements again (a job's insert, its events, the queue's count)
 * was a tenth of the server thread's time on a submission. faxd never streams a query, so a cached statement is
 * never still iterating when it is run again.
 */
function withPreparedStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string): SqliteStatement {
      let statement = statements.get(query);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = sqlite.prepare(query);
        statements.set(query, statement);
      }
      return statement;
    },
  };
}

export async function openDatabase(file: string): Promise<FaxdDb> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL keeps readers (status polls) from waiting on the writer, and survives a crash mid-write.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<FaxdDatabase>({ dialect: new SqliteDialect({ database: withPreparedStatements(sqlite) }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}
