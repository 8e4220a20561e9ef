// The PostgreSQL pool as Kysely drives it, with each statement prepared once per connection under a name for its SQL
// text. Kysely sends every query as an unnamed statement, which PostgreSQL parses and plans again at every run; faxd
// runs the same few dozen statements (a job's update, the queue's read, the events' insert) thousands of times an
// hour, and for such a statement the parse and plan were half of the server's CPU (130 µs a run against 63 µs
// prepared, measured on a job's conditional update).

import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Texts given a name, the first ones a process runs; any other runs unnamed, as before. A name is never reused for
 * another text (a connection keeps what it prepared under a name), so the cap bounds what each connection holds.
 */
const NAMED_TEXTS = 512;

/** SQLSTATE 0A000: "cached plan must not change result type", after a migration changed a prepared `select *`'s table. */
const FEATURE_NOT_SUPPORTED = '0A000';

export class PreparingPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.#pool.connect();
    // A connection whose prepared statements no longer fit the schema is closed rather than returned to the pool.
    let stale = false;
    const query = async (text: string, values: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
      try {
        // pg types the command as any string; PostgreSQL answers these statements with one of Kysely's.
        return (await client.query({
          name: this.#nameOf(text),
          text,
          values: [...values],
        })) as PostgresQueryResult<unknown>;
      } catch (error) {
        if ((error as { code?: unknown }).code === FEATURE_NOT_SUPPORTED) stale = true;
        throw error;
      }
    };
    return {
      // faxd never streams a query, so Kysely never passes the cursor form of query().
      query: query as PostgresPoolClient['query'],
      release: () => client.release(stale),
    };
  }

  end(): Promise<void> {
    return this.#pool.end();
  }

  #nameOf(text: string): string | undefined {
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < NAMED_TEXTS) {
      name = `faxd_${this.#names.size + 1}`;
      this.#names.set(text, name);
    }
    return name;
  }
}
