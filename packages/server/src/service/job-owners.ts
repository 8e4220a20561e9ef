// Whose each job is (its direction and the user who submitted it), for deciding who hears of its events: both never
// change, so they are remembered once read, up to OWNERS_KEPT jobs, and an event costs no lookup in the common case.

import type { Owned } from '../auth/caller.js';
import type { FaxdDb } from '../store/database.js';

/** Enough jobs for the events of a busy hour without a lookup each. */
const OWNERS_KEPT = 10_000;

export class JobOwners {
  readonly #db: FaxdDb;
  readonly #known = new Map<string, Owned>();

  constructor(db: FaxdDb) {
    this.#db = db;
  }

  /** The job `jobId` names (a sent message keeps its job's id), or undefined when there is none. */
  async of(jobId: string): Promise<Owned | undefined> {
    const known = this.#known.get(jobId);
    if (known) return known;
    const row = await this.#db
      .selectFrom('jobs')
      .select(['direction', 'owner_id'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (row) {
      if (this.#known.size >= OWNERS_KEPT) this.#known.clear();
      this.#known.set(jobId, row);
    }
    return row;
  }
}
