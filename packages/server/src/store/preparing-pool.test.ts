// The PostgreSQL store prepares each statement once per connection, and a connection whose prepared statements a
// schema change made stale leaves the pool instead of failing every later query run on it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { waitFor } from '../testing/faxd-fixture.js';
import { createTestDatabase } from '../testing/postgres-server.js';
import { type FaxdDb, openDatabase } from './database.js';

describe('statements prepared on PostgreSQL', () => {
  let url = '';
  let db: FaxdDb;
  before(async () => {
    url = await createTestDatabase();
    db = await openDatabase({ kind: 'postgres', url });
  });
  after(async () => {
    await db?.destroy();
  });

  it('prepares a statement once per connection under one name and runs it again from there', async () => {
    await db.connection().execute(async (connection) => {
      for (const id of ['a', 'b', 'c']) {
        const node = await connection.selectFrom('nodes').select('id').where('id', '=', id).executeTakeFirst();
        assert.equal(node, undefined);
      }
      const prepared = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where statement like 'select "id" from "nodes"%'`.execute(
        connection,
      );
      assert.equal(prepared.rows.length, 1, 'three runs of one statement, one prepared statement');
      assert.match(prepared.rows[0]?.name ?? '', /^faxd_\d+$/);
    });
  });

  it('drops a connection whose prepared select * a schema change made stale, and goes on with a fresh one', async () => {
    const stalePid = await db.connection().execute(async (connection) => {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(connection)).rows[0]?.pid;
      await connection.selectFrom('port_status').selectAll().execute();
      // Another node's migration adds a column to the table meanwhile.
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await other.query('alter table port_status add column added_later text');
      await other.end();
      await assert.rejects(connection.selectFrom('port_status').selectAll().execute(), { code: '0A000' });
      return pid;
    });
    await waitFor('the stale connection to be closed', async () =>
      (await sql`select 1 from pg_stat_activity where pid = ${stalePid}`.execute(db)).rows.length === 0
        ? true
        : undefined,
    );
    const rows = await db.selectFrom('port_status').selectAll().execute();
    assert.deepEqual(rows, []);
  });
});
