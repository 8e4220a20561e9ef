// The user each line's received faxes belong to (`routing.user`, issue 13): read from the store by name when asked,
// so a user added, removed or re-added after the server started owns the line's faxes as the store now says.

import type { LineConfig } from '../config/faxd-config.js';
import type { FaxdDb } from '../store/database.js';
import type { Owned } from './caller.js';

/** A job or received fax as stored: an incoming one's owner is its line's. */
export interface StoredOwnership {
  readonly direction: 'outgoing' | 'incoming';
  readonly owner_id: number | null;
  readonly device_id: number | null;
}

export class LineOwners {
  readonly #db: FaxdDb;
  /** Device id → user name, for the lines routed to a user. */
  readonly #routed: ReadonlyMap<number, string>;

  constructor(db: FaxdDb, lines: readonly LineConfig[]) {
    this.#db = db;
    this.#routed = new Map(lines.flatMap((line) => (line.routingUser ? [[line.id, line.routingUser] as const] : [])));
  }

  /** How to see whose each stored job or fax is, as of now (one read of the routed users, then no more). */
  async snapshot(): Promise<(stored: StoredOwnership) => Owned> {
    const names = [...new Set(this.#routed.values())];
    const users =
      names.length === 0
        ? []
        : await this.#db.selectFrom('users').select(['id', 'name']).where('name', 'in', names).execute();
    const ids = new Map(users.map((user) => [user.name, user.id]));
    return ({ direction, owner_id, device_id }) => {
      if (direction === 'outgoing') return { direction, owner_id };
      const user = device_id === null ? undefined : this.#routed.get(device_id);
      return { direction, owner_id: user === undefined ? null : (ids.get(user) ?? null) };
    };
  }
}
