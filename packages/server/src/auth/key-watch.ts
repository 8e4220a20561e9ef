// Keeps long-lived callers (event streams) in step with the store: when users or keys change, each watched caller is
// read again, and its watcher learns its new rights or that its key was revoked. A change by another process (the
// `faxd user` command) is seen through SQLite's PRAGMA data_version, a counter the connection reads without touching
// any table, polled every POLL_MS while something is watched; a change by this process through UserStore.version.
// A plain request needs none of this: it reads its key from the store each time.

import { sql } from 'kysely';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { FaxdDb } from '../store/database.js';
import type { Caller } from './caller.js';
import type { UserStore } from './user-store.js';

const POLL_MS = 200;

/** Told the caller as it now is, or undefined once its key is revoked (or its user removed). */
export type CallerChange = (caller: Caller | undefined) => void;

interface Watcher {
  caller: Caller;
  readonly onChange: CallerChange;
}

export class KeyWatch {
  readonly #db: FaxdDb;
  readonly #users: UserStore;
  readonly #watchers = new Set<Watcher>();
  #timer: NodeJS.Timeout | undefined;
  #seen = '';
  #checking = false;

  constructor(db: FaxdDb, users: UserStore) {
    this.#db = db;
    this.#users = users;
  }

  /** Watches `caller` (one with a key); returns the function that stops. */
  watch(caller: Caller, onChange: CallerChange): () => void {
    const watcher: Watcher = { caller, onChange };
    if (caller.keyId === null) return () => {};
    this.#watchers.add(watcher);
    // The next poll reads every watched key again, so a change between the caller's check and now is not missed.
    this.#seen = '';
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#check(), POLL_MS);
      this.#timer.unref();
    }
    return () => {
      this.#watchers.delete(watcher);
      if (this.#watchers.size === 0) this.close();
    };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #version(): Promise<string> {
    const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(this.#db);
    return `${rows[0]?.data_version}/${this.#users.version}`;
  }

  async #check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const version = await this.#version();
      if (version === this.#seen) return;
      this.#seen = version;
      for (const watcher of [...this.#watchers]) {
        const now = await this.#users.recheck(watcher.caller);
        if (now === undefined) this.#watchers.delete(watcher);
        if (now === undefined || now.rights !== watcher.caller.rights) watcher.onChange(now);
        if (now !== undefined) watcher.caller = now;
      }
      if (this.#watchers.size === 0) this.close();
    } catch (error) {
      reportFault(error);
    } finally {
      this.#checking = false;
    }
  }
}

function reportFault(error: unknown): void {
  reportFaultToStderr('the API keys of open event streams were not checked', error);
}
