// Test support: the store the tests run faxd on, chosen by FAXD_TEST_STORE — `sqlite` (the default: a file in the data
// directory) or `postgres` (a database of its own on the test PostgreSQL, testing/postgres-server.ts) — so the same
// service tests run against either store.

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { StoreConfig } from '../config/faxd-config.js';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { createTestDatabase } from './postgres-server.js';

/** The store kind this test run uses. */
export function testStoreKind(): StoreConfig['kind'] {
  const kind = process.env.FAXD_TEST_STORE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') {
    throw new Error(`FAXD_TEST_STORE is "${kind}": expected sqlite or postgres`);
  }
  return kind;
}

/**
 * The store of a faxd over `dataDir`: on PostgreSQL a database named after the directory, so a test that stops faxd
 * and starts it again over the same directory (in this process or another) finds its store again, and a new
 * directory gets a new, empty database.
 */
export async function testStoreOf(dataDir: string): Promise<StoreConfig> {
  if (testStoreKind() === 'sqlite') return { kind: 'sqlite', file: join(dataDir, 'faxd.sqlite') };
  const name = `faxd_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 24)}`;
  return { kind: 'postgres', url: await createTestDatabase(name) };
}

/**
 * The configuration keys that put a faxd over `dataDir` on the test store: none on SQLite (the default store is the
 * test's), `store` naming the directory's database on PostgreSQL.
 */
export async function testStoreKeys(dataDir: string): Promise<{ store?: { kind: 'postgres'; url: string } }> {
  const store = await testStoreOf(dataDir);
  return store.kind === 'postgres' ? { store } : {};
}

/**
 * What an in-process test faxd over `dataDir` takes besides its own keys: the test store, and a silent log, since its
 * JSON lines would land in the test runner's output among the results.
 */
export async function inProcessTestKeys(
  dataDir: string,
): Promise<{ store?: { kind: 'postgres'; url: string }; log: { level: 'silent' } }> {
  return { ...(await testStoreKeys(dataDir)), log: { level: 'silent' } };
}

/** Opens (and migrates) the store a faxd over `dataDir` uses, for a test to read or arrange rows in. */
export async function openTestStore(dataDir: string): Promise<FaxdDb> {
  return openDatabase(await testStoreOf(dataDir));
}
