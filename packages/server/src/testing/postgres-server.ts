// Test support: a real PostgreSQL for the tests of this process — the server `FAXD_TEST_POSTGRES_URL` names, or one
// started here in a temporary data directory (listening only on a unix socket in it, so no port can be taken from
// under it) and stopped, its directory deleted, when the process ends — and a fresh database in it for each caller.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** How long a started server may take to accept connections before the start counts as stalled. */
const START_LIMIT_MS = 60_000;

let server: Promise<string> | undefined;

/** The URL of the maintenance database of this process's PostgreSQL, started on first use. */
export function testPostgresUrl(): Promise<string> {
  server ??= process.env.FAXD_TEST_POSTGRES_URL ? Promise.resolve(process.env.FAXD_TEST_POSTGRES_URL) : startServer();
  return server;
}

/**
 * A new empty database `name` (default `faxd_<random>`) on the test server; its URL. A database of that name that
 * already exists is answered as is, so processes that agree on a name share one database.
 */
export async function createTestDatabase(name = `faxd_${randomBytes(8).toString('hex')}`): Promise<string> {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`postgres-server: "${name}" is not a plain database name`);
  const url = new URL(await testPostgresUrl());
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } catch (error) {
    // 42P04 duplicate_database; 23505 when another process's CREATE DATABASE of the same name won the race.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.href;
}

/** The newest PostgreSQL server binaries Debian's packages installed. */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((version) => /^\d+$/.test(version)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(root, v, 'bin/postgres')));
  if (newest === undefined) {
    throw new Error(
      'postgres-server: no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql ' +
        '(or name a server in FAXD_TEST_POSTGRES_URL)',
    );
  }
  return join(root, newest, 'bin');
}

async function startServer(): Promise<string> {
  const bin = binaries();
  const directory = mkdtempSync(join(tmpdir(), 'faxd-postgres-'));
  const data = join(directory, 'data');
  // initdb and postgres refuse to run as root: as root, the server runs as Debian's postgres user and owns the directory.
  const owner = process.getuid?.() === 0 ? idsOf('postgres') : null;
  const asRoot = owner !== null;
  if (owner) chownSync(directory, owner.uid, owner.gid);
  const run = (program: string, args: string[]) =>
    asRoot
      ? { command: 'runuser', args: ['-u', 'postgres', '--', join(bin, program), ...args] }
      : { command: join(bin, program), args };

  const initdb = run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--locale=C', '--encoding=UTF8', '-N']);
  const made = spawnSync(initdb.command, initdb.args, { encoding: 'utf8' });
  if (made.status !== 0) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`postgres-server: initdb failed: ${made.stderr || made.error?.message}`);
  }
  const stop = () => stopServer(data, directory, run);
  process.on('exit', stop);
  // The test runner ends a file that overruns with SIGTERM, which skips 'exit': stop the server, then die of it.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }

  // Durability is the test's to lose: no fsync, and nothing on TCP. Small buffers: test files run five at a time,
  // each with a server of its own.
  const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'shared_buffers=16MB'].flatMap(
    (setting) => ['-c', setting],
  );
  const postgres = run('postgres', ['-D', data, '-k', directory, '-c', 'listen_addresses=', ...settings]);
  const logFile = join(directory, 'postgres.log');
  const log = openSync(logFile, 'a');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(postgres.command, postgres.args, { stdio: ['ignore', log, log] });
  closeSync(log);
  // The server is stopped by the exit hook; it must not keep this process alive by itself.
  child.unref();
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.on('error', (error) => {
    exited = `did not start: ${error.message}`;
  });

  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(directory)}`;
  const until = Date.now() + START_LIMIT_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return url;
    } catch {
      await client.end().catch(() => {});
    }
    const logText = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '');
    if (exited) throw new Error(`postgres-server: PostgreSQL in ${data} ${exited}; its log:\n${logText()}`);
    if (Date.now() > until) {
      throw new Error(
        `postgres-server: PostgreSQL in ${data} did not accept connections within ${START_LIMIT_MS / 1000} s; ` +
          `its log:\n${logText()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the server at once (it holds nothing a test keeps) and deletes its directory; runs in the exit hook. */
function stopServer(
  data: string,
  directory: string,
  run: (program: string, args: string[]) => { command: string; args: string[] },
): void {
  const stop = run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
  if (existsSync(join(data, 'postmaster.pid'))) spawnSync(stop.command, stop.args, { stdio: 'ignore' });
  rmSync(directory, { recursive: true, force: true });
}

/** The uid and gid of `user`, whom Debian's postgresql package creates. */
function idsOf(user: string): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const [uid, gid] = [id('-u'), id('-g')];
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) {
    throw new Error(
      `postgres-server: running as root and there is no "${user}" user to run PostgreSQL as: apt-get install postgresql`,
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}
