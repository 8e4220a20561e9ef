// Keeps long-lived callers (event streams) in step with the store: when users or keys change, each watched caller is
// read again, and its watcher learns its new rights or that its key was revoked. A change by another process (the
// `faxd user` command, another node on the same database) is seen through the audit log, where every change to users
// and keys is recorded in its own transaction: the newest act's number, read by primary key on either store, polled
// every POLL_MS while something is watched, moves with each change (numbers are never reused, so a prune cannot hide
// one); a change by this process through UserStore.version.
// A plain request needs none of this: it reads its key from the store each time.

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

  /** Watches `caller` (a user's, by key or console session); returns the function that stops. */
  watch(caller: Caller, onChange: CallerChange): () => void {
    const watcher: Watcher = { caller, onChange };
    // The token and the keyless loopback caller never change; a user's key or console session may.
    if (caller.keyId === null && caller.userId === null) return () => {};
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
    const newest = await this.#db
      .selectFrom('audit_log')
      .select((log) => log.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return `${newest?.seq ?? 0}/${this.#users.version}`;
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
