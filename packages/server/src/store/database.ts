// Opens faxd's store with Kysely — a SQLite file or a PostgreSQL database — and brings its schema up to date before
// anything reads it.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  sql,
} from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config/faxd-config.js';
import { reportFaultToStderr } from '../service/fault-report.js';
import { migrationProvider, type StoreKind } from './migrations.js';
import { PreparingPool } from './preparing-pool.js';
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

/**
 * The key of the session-level advisory lock nodes sharing a PostgreSQL database take around their migrations, so
 * that when several start together one migrates and the others wait, then find nothing left to do. (Kysely's migrator
 * locks too, but only once its own tables exist; this lock covers creating them.) "faxd" in ASCII.
 */
const MIGRATION_LOCK_KEY = 0x66617864;

/** PostgreSQL's int8 (count(*), sum()) as a number, as SQLite gives it: faxd's counts stay far below 2^53. */
const INT8_OID = 20;

/** Connections one node keeps to PostgreSQL: the queue, the API and the mail and webhook senders at once. */
const POSTGRES_POOL_SIZE = 10;

/** The store could not be reached or signed in to: the operator's to fix (the server, the URL, a password). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * PostgreSQL's answers that mean "not this server, database or user" rather than a fault in faxd: class 08
 * (connection exception), 28 (invalid authorization), 3D000 (no such database), 57P03 (starting up).
 */
const UNAVAILABLE = /^(08|28|3D000$|57P03$)/;

/** The configuration each open store was opened with: what code given only the database asks of its engine. */
const openedFrom = new WeakMap<FaxdDb, StoreConfig>();

/** The configuration `db` was opened with (openDatabase). */
export function storeConfigOf(db: FaxdDb): StoreConfig {
  const store = openedFrom.get(db);
  if (store === undefined) throw new Error('the database was not opened by openDatabase');
  return store;
}

export async function openDatabase(store: StoreConfig): Promise<FaxdDb> {
  const db = store.kind === 'postgres' ? postgresDatabase(store.url) : sqliteDatabase(store.file);
  openedFrom.set(db, store);
  try {
    await (store.kind === 'postgres' ? migrateOnce(db) : migrate(db, 'sqlite'));
  } catch (error) {
    await db.destroy();
    throw store.kind === 'postgres' ? unavailable(store.url, error) : error;
  }
  return db;
}

/** `error` as a StoreUnavailableError naming the server and database (never the password) when it is one. */
function unavailable(url: string, error: unknown): unknown {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  // Errors of the socket itself (ECONNREFUSED, ENOTFOUND, …) have an E-code; the server's have an SQLSTATE.
  if (!code.startsWith('E') && !UNAVAILABLE.test(code)) return error;
  const { host, pathname, searchParams } = new URL(url);
  const where = `${searchParams.get('host') ?? host}${pathname}`;
  return new StoreUnavailableError(`cannot open the PostgreSQL store ${where}: ${(error as Error).message}`);
}

function sqliteDatabase(file: string): FaxdDb {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL keeps readers (status polls) from waiting on the writer, and survives a crash mid-write.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<FaxdDatabase>({ dialect: new SqliteDialect({ database: withPreparedStatements(sqlite) }) });
}

function postgresDatabase(url: string): FaxdDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_POOL_SIZE,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? Number
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server drops (a restart, a network fault) is taken out of the pool and reported; the next
  // query opens another, and a query that fails meanwhile is its caller's outcome. Unheard, it would end the process.
  pool.on('error', (error) => reportFaultToStderr('an idle connection to PostgreSQL was lost', error));
  return new Kysely<FaxdDatabase>({ dialect: new PostgresDialect({ pool: new PreparingPool(pool) }) });
}

/** Migrates a PostgreSQL store holding the advisory lock on a connection of its own (the migrator uses others). */
async function migrateOnce(db: FaxdDb): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      await migrate(db, 'postgres');
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
  });
}

async function migrate(db: FaxdDb, kind: StoreKind): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider(kind) }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Whether `error` is the store refusing a row for a duplicate key of a unique index (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
