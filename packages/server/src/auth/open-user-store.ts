// The users of the server a configuration describes, for the `faxd user` command: the same store the server opens,
// which SQLite's WAL (or PostgreSQL) lets both use at once.

import { parseFaxdConfig } from '../config/faxd-config.js';
import { openDatabase } from '../store/database.js';
import { UserStore } from './user-store.js';

/** The user store of `config` (throws ConfigError on a bad configuration); close it when done. */
export async function openUserStore(config: unknown): Promise<{ users: UserStore; close(): Promise<void> }> {
  const db = await openDatabase(parseFaxdConfig(config).store);
  return { users: new UserStore(db), close: () => db.destroy() };
}
