// The incoming and outgoing archives (reference §2.11): every received fax and every outbound job that has left the
// queue is kept as a message, announced with incoming/outgoingMessageAdded, and purged after the retention period.

import { rm } from 'node:fs/promises';
import { baseJobStatus, type FaxInboxMessage, type FaxOutboxMessage, hasLeftQueue } from '@faxd/contract';
import type { Insertable, QueryCreator, Selectable } from 'kysely';
import { type Caller, type Owned, seesSentMessage } from '../auth/caller.js';
import { type AuditAct, pruneActs, recordAct } from '../store/audit-log.js';
import { type FaxdDb, storeConfigOf } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import type { FaxdDatabase, InboxTable, OutboxTable } from '../store/schema.js';
import type { BroadcastDocuments } from './broadcast-documents.js';
import type { DataFiles } from './data-files.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import type { JobBook } from './job-book.js';

/** The two archives, by their tables. */
export type ArchiveKind = 'inbox' | 'outbox';

/** The outgoing archive's message of the job `row`, which has left the queue. */
function outboxMessage(row: JobRow): Insertable<OutboxTable> {
  return {
    id: row.id,
    job_id: row.id,
    device_id: row.device_id,
    recipient_number: row.recipient_number,
    recipient_name: row.recipient_name,
    sender_name: row.sender_name,
    document_name: row.document_name,
    csid: row.csid,
    tsid: row.tsid,
    pages: row.pages,
    size: row.size,
    retries: row.retries,
    status: baseJobStatus(row.status),
    submission_time: row.submission_time,
    transmission_start: row.transmission_start,
    transmission_end: row.transmission_end,
    archived_at: new Date().toISOString(),
  };
}

export class Archive {
  readonly #db: FaxdDb;
  readonly #hub: EventHub;
  readonly #book: JobBook;
  readonly #files: DataFiles;
  readonly #broadcasts: BroadcastDocuments;

  constructor(db: FaxdDb, hub: EventHub, book: JobBook, files: DataFiles, broadcasts: BroadcastDocuments) {
    this.#db = db;
    this.#hub = hub;
    this.#book = book;
    this.#files = files;
    this.#broadcasts = broadcasts;
  }

  /**
   * After a job's step: once the job has left the queue (hasLeftQueue: ended, and not waiting in fjsRETRIES_EXCEEDED
   * for a restart or a delete), its removal is announced and an outbound job enters the outgoing archive, once, as a
   * message with the job's own id (reference §2.6: "the same ID becomes the archived message's Id").
   */
  async settle(row: JobRow): Promise<void> {
    if (!hasLeftQueue(row.status)) return;
    // A received fax reaches the incoming archive through routing (addReceived); here it only leaves the queue.
    if (row.direction === 'incoming') {
      this.#book.removed(row);
      return;
    }
    if (row.message_id !== null) return;
    const broadcastId = row.broadcast_id;
    // The message's fax: a broadcast's job links its broadcast's. Failing that, the message is archived without its
    // fax rather than left in the queue; the broadcast's release tries the links again before the files go.
    if (broadcastId !== null) {
      await this.#broadcasts
        .linkForArchive(broadcastId, row.id)
        .catch((error: unknown) => reportFaultToStderr(`job ${row.id} has no link to its broadcast's fax`, error));
    }
    const message = outboxMessage(row);
    // A settle tried again after the store refused the job's mark finds its message already there.
    const insert = (db: QueryCreator<FaxdDatabase>) =>
      db
        .insertInto('outbox')
        .values(message)
        .onConflict((conflict) => conflict.column('id').doNothing());
    if (storeConfigOf(this.#db).kind === 'postgres') {
      // One statement, one round trip, the message and the job's mark committed together (a data-modifying WITH).
      await this.#db
        .with('archived', insert)
        .updateTable('jobs')
        .set({ message_id: row.id })
        .where('id', '=', row.id)
        .execute();
    } else {
      await insert(this.#db).execute();
      await this.#db.updateTable('jobs').set({ message_id: row.id }).where('id', '=', row.id).execute();
    }
    this.#book.removed(row);
    this.#hub.publish({ event: 'outgoingMessageAdded', messageId: row.id });
    if (broadcastId !== null) {
      await this.#broadcasts
        .release(broadcastId)
        .catch((error: unknown) =>
          reportFaultToStderr(`the files of broadcast ${broadcastId} were not released`, error),
        );
    }
  }

  /** The stored inbox message `id`; a received fax's message has its job's id, so routing finds what it recorded. */
  async inboxRow(id: string): Promise<Selectable<InboxTable> | undefined> {
    return this.#db.selectFrom('inbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async addReceived(message: Selectable<InboxTable>): Promise<void> {
    await this.#db.insertInto('inbox').values(message).execute();
    this.#hub.publish({ event: 'incomingMessageAdded', messageId: message.id });
  }

  async inbox(): Promise<FaxInboxMessage[]> {
    const rows = await this.#db.selectFrom('inbox').selectAll().orderBy('received_at', 'desc').execute();
    return rows.map(inboxMessageOf);
  }

  async inboxMessage(id: string): Promise<FaxInboxMessage | undefined> {
    const row = await this.inboxRow(id);
    return row && inboxMessageOf(row);
  }

  /** The sent messages the caller may see: their own, or everyone's with the archive rights. */
  async outbox(caller: Caller): Promise<FaxOutboxMessage[]> {
    const rows = await this.#outboxRows().orderBy('archived_at', 'desc').execute();
    return rows.filter((row) => seesSentMessage(caller, sentBy(row))).map(outboxMessageOf);
  }

  /** The sent message, unless there is none or the caller may not see it (the two answer alike: ids do not leak). */
  async outboxMessage(id: string, caller: Caller): Promise<FaxOutboxMessage | undefined> {
    const row = await this.#outboxRows().where('outbox.id', '=', id).executeTakeFirst();
    return row && seesSentMessage(caller, sentBy(row)) ? outboxMessageOf(row) : undefined;
  }

  /** Who sent the message, for the rules of auth/caller.ts; undefined unless there is one the caller may see. */
  async sentOwner(id: string, caller: Caller): Promise<Owned | undefined> {
    const row = await this.#outboxRows().where('outbox.id', '=', id).executeTakeFirst();
    return row && seesSentMessage(caller, sentBy(row)) ? sentBy(row) : undefined;
  }

  /** Sent messages with the user who submitted each (its job's owner). */
  #outboxRows() {
    return this.#db
      .selectFrom('outbox')
      .leftJoin('jobs', 'jobs.id', 'outbox.job_id')
      .selectAll('outbox')
      .select('jobs.owner_id');
  }

  /**
   * Deletes an archived fax (IFaxIncomingMessage/IFaxOutgoingMessage.Delete) and its files, recording who did it.
   * The row goes first, in one transaction with the audit record and a `file_removals` row per file: from then on
   * nothing points at the files, and a crash before they are gone leaves the removals for the next start to finish.
   * (Files first could leave a row pointing at nothing; a row gone with no removal noted could leak the files.)
   * Answers whether there was such a message.
   */
  async remove(kind: ArchiveKind, id: string, act?: Omit<AuditAct, 'action' | 'object'>): Promise<boolean> {
    const removed = await this.#db.transaction().execute(async (trx) => {
      // One statement finds and deletes the row: of two removals at once (two requests, two nodes), one deletes it
      // and the other, waiting on PostgreSQL's row lock, finds nothing.
      const row = await trx.deleteFrom(kind).where('id', '=', id).returning('job_id').executeTakeFirst();
      if (!row) return false;
      const paths = this.#filesOf(kind, id, row.job_id);
      await trx
        .insertInto('file_removals')
        .values(paths.map((path) => ({ path, recursive: 1 })))
        .onConflict((conflict) => conflict.column('path').doNothing())
        .execute();
      if (act) await recordAct(trx, { ...act, action: 'deleted', object: `${kind}:${id}` });
      return true;
    });
    if (!removed) return false;
    this.#hub.publish({ event: kind === 'inbox' ? 'incomingMessageRemoved' : 'outgoingMessageRemoved', messageId: id });
    // The message is gone whatever happens to its files: a removal that fails now is finished by a later purge.
    await this.finishRemovals().catch((error: unknown) =>
      reportFaultToStderr(`the files of ${kind} message ${id} were not removed yet`, error),
    );
    return true;
  }

  /** Removes the files of deleted messages still waiting (a removal cut short by a crash or a storage fault). */
  async finishRemovals(): Promise<void> {
    const waiting = await this.#db.selectFrom('file_removals').selectAll().execute();
    for (const { path, recursive } of waiting) {
      await rm(path, { recursive: recursive === 1, force: true });
      await this.#db.deleteFrom('file_removals').where('path', '=', path).execute();
    }
  }

  /** The files of a message: a received fax's TIFF and PDF and its job's directory; a sent fax's job directory. */
  #filesOf(kind: ArchiveKind, id: string, jobId: string): string[] {
    const job = this.#files.jobDirectory(jobId);
    return kind === 'inbox' ? [this.#files.inboxFax(id, 'tif'), this.#files.inboxFax(id, 'pdf'), job] : [job];
  }

  /** Removes messages archived more than `days` days ago, with their files, and the audit log's acts as old. */
  async purge(days: number, now: Date): Promise<void> {
    await this.finishRemovals();
    if (days <= 0) return;
    const before = new Date(now.getTime() - days * 86400_000).toISOString();
    const inbox = await this.#db.selectFrom('inbox').select('id').where('received_at', '<', before).execute();
    for (const { id } of inbox) await this.remove('inbox', id);
    const outbox = await this.#db.selectFrom('outbox').select('id').where('archived_at', '<', before).execute();
    for (const { id } of outbox) await this.remove('outbox', id);
    await pruneActs(this.#db, before);
  }
}

function sentBy(row: { owner_id: number | null }) {
  return { direction: 'outgoing', owner_id: row.owner_id } as const;
}

function inboxMessageOf(row: Selectable<InboxTable>): FaxInboxMessage {
  return {
    id: row.id,
    jobId: row.job_id,
    deviceId: row.device_id,
    tsid: row.tsid,
    csid: row.csid,
    callerId: row.caller_id,
    routingInformation: row.routing_information,
    pages: row.pages,
    size: row.size,
    receivedAt: row.received_at,
    transmissionStart: row.transmission_start,
    transmissionEnd: row.transmission_end,
    badRows: row.bad_rows,
    partial: row.partial === 1,
  };
}

function outboxMessageOf(row: Selectable<OutboxTable>): FaxOutboxMessage {
  return {
    id: row.id,
    jobId: row.job_id,
    deviceId: row.device_id,
    recipientNumber: row.recipient_number,
    recipientName: row.recipient_name,
    senderName: row.sender_name,
    documentName: row.document_name,
    csid: row.csid,
    tsid: row.tsid,
    pages: row.pages,
    size: row.size,
    retries: row.retries,
    status: row.status,
    submissionTime: row.submission_time,
    transmissionStart: row.transmission_start,
    transmissionEnd: row.transmission_end,
  };
}
