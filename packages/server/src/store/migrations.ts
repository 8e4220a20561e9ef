// The store's schema history, applied in order by Kysely's Migrator; a migration once released is never edited. The
// same history builds a SQLite file and a PostgreSQL database: every column is text or integer (times ISO 8601 UTC
// text, booleans 0/1), and the types the two spell differently — a key the store numbers itself, a byte count past
// 2 GiB — come from `counterKey` and `byteCount`, which give SQLite exactly the columns it always had.

import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';

/** The engines the store runs on. */
export type StoreKind = 'sqlite' | 'postgres';

type ColumnBuild = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/**
 * An integer primary key numbered by the store: SQLite's AUTOINCREMENT (never reuses a number), PostgreSQL's identity
 * column (a sequence, which never goes back either).
 */
function counterKey(kind: StoreKind): ColumnBuild {
  return kind === 'postgres'
    ? (column) => column.primaryKey().generatedByDefaultAsIdentity()
    : (column) => column.primaryKey().autoIncrement();
}

/**
 * A size in bytes: SQLite's integers are 64-bit whatever the declared type; PostgreSQL's `integer` stops at 2 GiB,
 * which a long fine-resolution fax may pass (limits.bytesPerDocument goes to 1 TiB).
 */
function byteCount(kind: StoreKind): 'integer' | 'bigint' {
  return kind === 'postgres' ? 'bigint' : 'integer';
}

const initial = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('job_type', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('extended_status', 'integer', (c) => c.notNull())
      .addColumn('retries', 'integer', (c) => c.notNull())
      .addColumn('current_page', 'integer', (c) => c.notNull())
      .addColumn('pages', 'integer', (c) => c.notNull())
      .addColumn('size', byteCount(kind), (c) => c.notNull())
      .addColumn('device_id', 'integer')
      .addColumn('csid', 'text', (c) => c.notNull())
      .addColumn('tsid', 'text', (c) => c.notNull())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('routing_information', 'text', (c) => c.notNull())
      .addColumn('recipient_number', 'text', (c) => c.notNull())
      .addColumn('recipient_name', 'text', (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('document_name', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('submission_time', 'text', (c) => c.notNull())
      .addColumn('scheduled_time', 'text')
      .addColumn('transmission_start', 'text')
      .addColumn('transmission_end', 'text')
      .addColumn('requested_line', 'integer')
      .addColumn('max_retries', 'integer', (c) => c.notNull())
      .addColumn('retry_delay_seconds', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('last_error', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('confirmed_pages', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('jobs_by_status').on('jobs').columns(['direction', 'status']).execute();
    await db.schema
      .createTable('inbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'integer', (c) => c.notNull())
      .addColumn('tsid', 'text', (c) => c.notNull())
      .addColumn('csid', 'text', (c) => c.notNull())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('routing_information', 'text', (c) => c.notNull())
      .addColumn('pages', 'integer', (c) => c.notNull())
      .addColumn('size', byteCount(kind), (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('transmission_start', 'text', (c) => c.notNull())
      .addColumn('transmission_end', 'text', (c) => c.notNull())
      .addColumn('bad_rows', 'integer', (c) => c.notNull())
      .addColumn('partial', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'integer')
      .addColumn('recipient_number', 'text', (c) => c.notNull())
      .addColumn('recipient_name', 'text', (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('document_name', 'text', (c) => c.notNull())
      .addColumn('csid', 'text', (c) => c.notNull())
      .addColumn('tsid', 'text', (c) => c.notNull())
      .addColumn('pages', 'integer', (c) => c.notNull())
      .addColumn('size', byteCount(kind), (c) => c.notNull())
      .addColumn('retries', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('submission_time', 'text', (c) => c.notNull())
      .addColumn('transmission_start', 'text')
      .addColumn('transmission_end', 'text')
      .addColumn('archived_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('events')
      .addColumn('seq', 'integer', counterKey(kind))
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'integer', counterKey(kind))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('last_error', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('queue_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('outgoing_blocked', 'integer', (c) => c.notNull())
      .addColumn('outgoing_paused', 'integer', (c) => c.notNull())
      .addColumn('incoming_blocked', 'integer', (c) => c.notNull())
      .execute();
    await sql`insert into queue_state values (1, 0, 0, 0)`.execute(db);
  },
});

/**
 * Broadcasts (issue 19): a job submitted as one entry of a submission's `recipients` names its broadcast and its place
 * in the list; the broadcast itself is its jobs, and its document lives under `broadcasts/<id>/` while any is queued.
 */
const broadcasts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('broadcast_id', 'text').execute();
    await db.schema.alterTable('jobs').addColumn('broadcast_index', 'integer').execute();
    await db.schema.createIndex('jobs_by_broadcast').on('jobs').columns(['broadcast_id', 'broadcast_index']).execute();
  },
};

/**
 * Users and API keys (issue 13): a user's rights are a FAX_ACCESS_RIGHTS_ENUM_2 mask; a key is found by its public id
 * and checked against its stored hash; a job names the user who submitted it (null: the administrator token, a server
 * without users, or a job from before users).
 */
const users = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'integer', counterKey(kind))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('rights', 'integer', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_keys_by_user').on('api_keys').column('user_id').execute();
    await db.schema.alterTable('jobs').addColumn('owner_id', 'integer').execute();
  },
});

/**
 * The audit log (issue 13): who did what to which object, when and from where, one row an act; pruned with the
 * archives. Deleting an archived fax also leaves a row in `file_removals` until its files are gone, so a removal cut
 * short by a crash is finished at the next start (service/archive-removal.ts).
 */
const auditLog = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', counterKey(kind))
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('object', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .execute();
    await db.schema.createIndex('audit_log_by_time').on('audit_log').column('time').execute();
    await db.schema
      .createTable('file_removals')
      .addColumn('path', 'text', (c) => c.primaryKey())
      .addColumn('recursive', 'integer', (c) => c.notNull())
      .execute();
  },
});

/**
 * Mail (issue 15): each mail faxd owes someone — a received fax for a line's `routing.email`, a delivery report — is a
 * row, kept until sent or given up, so a restart neither loses one nor sends one twice; a job's `notify` address.
 */
const mailDeliveries: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mail_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('attachments', 'text', (c) => c.notNull())
      .addColumn('message_key', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('last_error', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('mail_deliveries_by_source')
      .on('mail_deliveries')
      .columns(['kind', 'source_id'])
      .unique()
      .execute();
    await db.schema.createIndex('mail_deliveries_by_state').on('mail_deliveries').columns(['state']).execute();
    await db.schema.alterTable('jobs').addColumn('notify', 'text').execute();
  },
};

/**
 * Several nodes on one store (issue 16): each node's row says which lines it serves and when it last renewed its
 * lease; a job names the node whose line runs (or last ran) its call and the claim's epoch, which every write of that
 * call's outcome must still match, so a node back from a stall cannot finish a job another node took over.
 */
const clusterNodes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('nodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('jobs').addColumn('claim_node', 'text').execute();
    await db.schema
      .alterTable('jobs')
      .addColumn('claim_epoch', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('jobs_by_claim').on('jobs').columns(['claim_node', 'status']).execute();
  },
};

/**
 * Events and port activity across nodes (issue 16): on PostgreSQL the store numbers events itself from now on (the
 * identity column's sequence, which numbers given by faxd did not move: it starts after the newest), and each node
 * keeps its ports' FaxStatus in `port_status` for the other nodes to read (service/port-status-board.ts).
 */
const portStatus = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    if (kind === 'postgres') {
      await sql`select setval(pg_get_serial_sequence('events', 'seq'), coalesce(max(seq), 0) + 1, false) from events`.execute(
        db,
      );
    }
    await db.schema
      .createTable('port_status')
      .addColumn('device_id', 'integer', (c) => c.primaryKey())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text')
      .addColumn('direction', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('call', 'text')
      .execute();
  },
});

/**
 * The outbound queue in its order, for the queue's passes (service/outbound-queue.ts), on PostgreSQL: an index of the
 * queued jobs alone, from which a pass reads the head of the queue instead of scanning and sorting every job ever
 * sent (2 ms a pass at 10,000 jobs, and a cluster's nodes make a pass after every call and submission; 0.05 ms from
 * the index). 65 is fjsPENDING | fjsRETRYING, as the queue's queries state it. SQLite's planner keeps to
 * jobs_by_status for these queries whatever this index offers, so it would only be written, never read: not made.
 */
const queuedJobs = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    if (kind !== 'postgres') return;
    await sql`create index jobs_queued on jobs (priority desc, scheduled_time nulls first, submission_time,
      broadcast_index nulls first, id) where direction = 'outgoing' and (status & 65) <> 0`.execute(db);
  },
});

/** The migrations for a store on `kind`, by name in the order they apply. */
export function migrationProvider(kind: StoreKind): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001-initial': initial(kind),
        '0002-broadcasts': broadcasts,
        '0003-users': users(kind),
        '0004-audit-log': auditLog(kind),
        '0005-mail-deliveries': mailDeliveries,
        '0006-cluster-nodes': clusterNodes,
        '0007-port-status': portStatus(kind),
        '0008-queued-jobs': queuedJobs(kind),
      };
    },
  };
}
