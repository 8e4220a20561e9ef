// The tables of faxd's store (SQLite or PostgreSQL, through the same Kysely query layer): jobs, the two archives, the
// event log and webhook deliveries. Times are ISO 8601 UTC text; booleans are 0/1; sizes in bytes are 64-bit.

import type { Generated } from 'kysely';

export interface JobTable {
  id: string;
  direction: 'outgoing' | 'incoming';
  job_type: number;
  status: number;
  extended_status: number;
  retries: number;
  current_page: number;
  pages: number;
  size: number;
  device_id: number | null;
  csid: string;
  tsid: string;
  caller_id: string;
  routing_information: string;
  recipient_number: string;
  recipient_name: string;
  sender_name: string;
  document_name: string;
  priority: number;
  submission_time: string;
  scheduled_time: string | null;
  transmission_start: string | null;
  transmission_end: string | null;
  /** The device id the submitter asked for, or null for any line. */
  requested_line: number | null;
  max_retries: number;
  retry_delay_seconds: number;
  /** After this time the job is not tried again (null: no age limit). */
  expires_at: string | null;
  last_error: string;
  message_id: string | null;
  /** Pages the receiver confirmed in the last attempt: a job whose every page was confirmed is never sent again. */
  confirmed_pages: number;
  /** The broadcast the job is one recipient of (null: submitted with `to`, or inbound). */
  broadcast_id: string | null;
  /** The job's place in its broadcast's `recipients`, from 0. */
  broadcast_index: number | null;
  /** The address the job's delivery report is mailed to when it ends (null: no report). */
  notify: string | null;
  /** The user who submitted the job (null: the administrator token, a server without users, or an inbound job). */
  owner_id: number | null;
  /** The node whose line runs (or last ran) the job's call; null: no node has run it yet. */
  claim_node: string | null;
  /** Bumped by every claim and takeover: a call's writes carry the epoch they were claimed at (a fencing token). */
  claim_epoch: number;
}

/** A faxd node sharing the store: its lines' ids (JSON array) and the last renewal of its lease. */
export interface NodeTable {
  id: string;
  lines: string;
  started_at: string;
  heartbeat_at: string;
}

/** A port's activity as its node last wrote it, for the other nodes sharing the store to show. */
export interface PortStatusTable {
  device_id: number;
  node_id: string;
  /** The job the port's call is for, and whether it sends or receives; null while the port is idle. */
  job_id: string | null;
  direction: 'sending' | 'receiving' | null;
  /** The port's FaxStatus JSON; elapsedTime is worked out again from startTime when it is read. */
  status: string;
  /** FaxPortCall JSON while the call has one. */
  call: string | null;
}

export interface InboxTable {
  id: string;
  job_id: string;
  device_id: number;
  tsid: string;
  csid: string;
  caller_id: string;
  routing_information: string;
  pages: number;
  size: number;
  received_at: string;
  transmission_start: string;
  transmission_end: string;
  bad_rows: number;
  partial: number;
}

export interface OutboxTable {
  id: string;
  job_id: string;
  device_id: number | null;
  recipient_number: string;
  recipient_name: string;
  sender_name: string;
  document_name: string;
  csid: string;
  tsid: string;
  pages: number;
  size: number;
  retries: number;
  status: number;
  submission_time: string;
  transmission_start: string | null;
  transmission_end: string | null;
  archived_at: string;
}

export interface EventTable {
  seq: Generated<number>;
  time: string;
  name: string;
  body: string;
}

export interface WebhookTable {
  id: Generated<number>;
  message_id: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string;
}

/** Where a mail stands: waiting for its (next) try, handed to the relay right now, accepted by it, or given up. */
export type MailDeliveryState = 'queued' | 'sending' | 'sent' | 'failed';

export interface MailDeliveryTable {
  id: string;
  /** `reception`: a received fax for its line's routing.email; `report`: a job's delivery report; `refusal`: why a
   * mailed fax was refused, to its sender. */
  kind: 'reception' | 'report' | 'refusal';
  /** The inbox message (reception) or job (report) the mail is about; one mail per kind and source. */
  source_id: string;
  /** JSON array of addresses. */
  recipients: string;
  subject: string;
  body: string;
  /** JSON array of MailAttachment (mail/mail-message.ts): files read when the mail is sent, or small inline content. */
  attachments: string;
  /** The Message-ID every try carries, so a mail resent after a crash mid-delivery is one message to its reader. */
  message_key: string;
  state: MailDeliveryState;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string;
}

export interface QueueStateTable {
  id: number;
  outgoing_blocked: number;
  outgoing_paused: number;
  incoming_blocked: number;
}

export interface UserTable {
  id: Generated<number>;
  name: string;
  /** FAX_ACCESS_RIGHTS_ENUM_2 bits, as granted (the submit rights' implications included). */
  rights: number;
  /** `scrypt$N$r$p$salt$hash` (auth/passwords.ts), or null for a user who signs in with API keys only. */
  password_hash: string | null;
  created_at: string;
}

export interface ApiKeyTable {
  /** The key's public id, the part of the key before its secret (auth/api-keys.ts). */
  id: string;
  user_id: number;
  /** SHA-256 of the key's secret, hex. */
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** One act in the audit log (issue 13); never a key, password or token. */
export interface AuditLogTable {
  seq: Generated<number>;
  time: string;
  /** The user's name, `token` for the configuration's administrator key, `anonymous`, or `faxd user` for the command. */
  actor: string;
  /** submitted, read, downloaded, canceled, paused, resumed, restarted, deleted, user-added, user-removed, … */
  action: string;
  /** `job:ID`, `inbox:ID`, `outbox:ID`, `broadcast:ID`, `user:NAME`, `queue`. */
  object: string;
  /** The client's IP address; null for the command line. */
  address: string | null;
}

/** A file or directory of a deleted archived fax still to remove: its row is gone, so nothing points at it. */
export interface FileRemovalTable {
  path: string;
  /** 1: a directory with what it holds. */
  recursive: number;
}

export interface FaxdDatabase {
  jobs: JobTable;
  inbox: InboxTable;
  outbox: OutboxTable;
  events: EventTable;
  webhooks: WebhookTable;
  queue_state: QueueStateTable;
  mail_deliveries: MailDeliveryTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  file_removals: FileRemovalTable;
  nodes: NodeTable;
  port_status: PortStatusTable;
}
