// Whose each job is (its direction, the user who submitted it, the line it came in on), for deciding who hears of its
// events: these never change, so they are remembered once read, up to OWNERS_KEPT jobs; an incoming job's owner is
// its line's user as the store has it now (line-owners.ts).

import type { Owned } from '../auth/caller.js';
import type { LineOwners, StoredOwnership } from '../auth/line-owners.js';
import type { FaxdDb } from '../store/database.js';

/** Enough jobs for the events of a busy hour without a lookup each. */
const OWNERS_KEPT = 10_000;

export class JobOwners {
  readonly #db: FaxdDb;
  readonly #lines: LineOwners;
  readonly #known = new Map<string, StoredOwnership>();

  constructor(db: FaxdDb, lines: LineOwners) {
    this.#db = db;
    this.#lines = lines;
  }

  /** The job `jobId` names (a sent message keeps its job's id), or undefined when there is none. */
  async of(jobId: string): Promise<Owned | undefined> {
    const stored = this.#known.get(jobId) ?? (await this.#read(jobId));
    if (stored === undefined) return undefined;
    return stored.direction === 'outgoing' ? stored : (await this.#lines.snapshot())(stored);
  }

  async #read(jobId: string): Promise<StoredOwnership | undefined> {
    const row = await this.#db
      .selectFrom('jobs')
      .select(['direction', 'owner_id', 'device_id'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (row) {
      if (this.#known.size >= OWNERS_KEPT) this.#known.clear();
      this.#known.set(jobId, row);
    }
    return row;
  }
}
