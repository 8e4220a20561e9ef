// A fax the line's peer sends (reference §4.3 "Inbound"): an incoming job from the start of the call's T.30 session to
// routing — fjsINPROGRESS with fjesANSWERED then fjesRECEIVING page by page, the fax stored as TIFF Class F and PDF,
// partial receptions kept and marked fjesPARTIALLY_RECEIVED, then routed (inbox, folder, webhook) and removed from the
// queue.

import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  type JobEvent,
} from '@faxd/contract';
import type { BilevelPage, T30Event } from '@faxd/protocol';
import { encodeFaxPdf, encodeFaxTiff } from '../documents/fax-files.js';
import type { CallReport } from '../lines/call-report.js';
import type { IncomingCall, LineCallResult } from '../lines/fax-line.js';
import { type JobRow, newJobRow } from '../store/job-rows.js';
import type { Archive } from './archive.js';
import type { Clock } from './clock.js';
import { type DataFiles, faultCodeOf, newId, writeFileAtomic } from './data-files.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import { afterUpdates, type JobBook } from './job-book.js';
import { failureOf } from './outcome-reasons.js';
import type { PortRuntime } from './port-runtime.js';
import type { WebhookSender } from './webhook-sender.js';

export interface InboundContext {
  readonly book: JobBook;
  readonly hub: EventHub;
  readonly archive: Archive;
  readonly files: DataFiles;
  readonly clock: Clock;
  readonly webhooks: WebhookSender;
  readonly onActivity: () => void;
  /** Whether faxd is stopping: a fax that cannot be written is not waited for then. */
  readonly closing: () => boolean;
}

/** How long a reception's fax waits for the disk to take it: five minutes, tried every ten seconds. */
const STORE_RETRY_MS = 10_000;
const STORE_TRIES = 30;

let nextCallId = 1;

export class InboundCall {
  readonly jobId = newId();
  readonly #port: PortRuntime;
  readonly #context: InboundContext;
  readonly #startedAt: Date;
  #updates: Promise<void> = Promise.resolve();
  /** Whether the call has begun carrying a fax, and so has a job (see #start). */
  #started = false;
  /** Why a page could not be stored, for the job's last error. */
  #storeFault: string | undefined;
  /** Bytes of the pages stored so far: the job's Size while it is received. */
  #storedBytes = 0;

  readonly #offered: IncomingCall;

  constructor(port: PortRuntime, offered: IncomingCall, context: InboundContext) {
    this.#port = port;
    this.#offered = offered;
    this.#context = context;
    this.#startedAt = new Date(context.clock.now());
    context.hub.publish({ event: 'newCall', callId: nextCallId++, deviceId: port.id, callerId: offered.callerId });
  }

  /**
   * The call carries a fax now: its T.30 session has begun, which on a SIP line is once the ACK confirmed the dialog
   * (the media starts on the ACK, not on our 200) and on a T.38 line once the caller's CNG was heard. Only then is
   * there a job: an INVITE answered but never acknowledged, or cancelled while it rang, leaves no job, no event and no
   * file (RFC 3261 §13.3.1.4: the call was never set up). A call whose media then never arrives still gets its job, so
   * an operator sees the reception that failed.
   */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const port = this.#port;
    const context = this.#context;
    port.begin(
      {
        direction: 'receiving',
        jobId: this.jobId,
        startMs: this.#startedAt.getTime(),
        address: '',
        callerId: this.#offered.callerId,
        csid: port.config.csid,
        tsid: '',
        currentPage: 0,
        documentName: '',
        documentSize: 0,
        pageCount: 0,
        recipientName: recipientOf(port),
        routingString: this.#offered.calledNumber,
        senderName: '',
        submittedTime: '',
      },
      'Answered',
    );
    // A job the store would not take still has its call; its updates and its end fail, logged, and the port frees.
    this.#updates = context.book.create(this.#row()).then(
      () => {},
      (error: unknown) => reportFaultToStderr(`reception ${this.jobId} was not recorded`, error),
    );
    context.onActivity();
  }

  onEvent(event: T30Event, report: CallReport): void {
    this.#start();
    const { book } = this.#context;
    if (event.type === 'remote-ident' && event.frame === 'TSI') {
      this.#port.remoteIdentified(this.jobId, report.remoteIdent);
      this.#enqueue(() => book.update(this.jobId, { tsid: report.remoteIdent }));
    } else if (event.type === 'page-started') {
      this.#port.pageStarted(this.jobId, event.page);
      this.#enqueue(() => book.apply(this.jobId, { type: 'receiving', page: event.page }, { pages: event.page }));
    }
  }

  /**
   * Writes a received page under the job's directory, durably, before the line confirms it to the sender: a page that
   * cannot be stored is never confirmed (the line answers DCN) and the job ends saying why.
   */
  async storePage(page: BilevelPage, number: number): Promise<void> {
    this.#start();
    try {
      const tiff = encodeFaxTiff([page], { compression: 'mmr', dateTime: new Date(this.#context.clock.now()) });
      await writeFileAtomic(this.#context.files.receivedPage(this.jobId, number), tiff);
      // FaxJobStatus.Size grows as pages arrive (reference §4.3 "Inbound"), not only once the fax is routed.
      this.#storedBytes += tiff.length;
      const size = this.#storedBytes;
      this.#enqueue(() => this.#context.book.update(this.jobId, { size }));
    } catch (error) {
      this.#storeFault = `page ${number} could not be stored (${faultCodeOf(error)})`;
      reportFaultToStderr(`reception ${this.jobId}: page ${number} was not stored`, error);
      throw error;
    }
  }

  /** A user cancelled the job: the line ends the call, and onEnd then ends the job canceled, nothing routed. */
  hangUp(): void {
    this.#offered.hangUp();
  }

  async onEnd(result: LineCallResult): Promise<void> {
    // A call that never carried a fax has nothing recorded to end.
    if (!this.#started) return;
    const { book, archive } = this.#context;
    try {
      await this.#updates;
      // A job announced as removed has no files left behind: its pages go first.
      if (await this.#canceledBeforeTheEnd(result)) {
        const canceled = await book.apply(this.jobId, { type: 'canceled' }, this.#endColumns(result));
        await this.#removePages();
        await archive.settle(canceled);
        return;
      }
      if (result.received.length === 0) {
        const { reason } = failureOf(result);
        const failed = await book.apply(this.jobId, { type: 'failed', reason }, this.#endColumns(result));
        await this.#removePages();
        await archive.settle(failed);
        return;
      }
      const partial = result.outcome.code !== 'ok';
      if (!partial) this.#port.ending(this.jobId, 'Completed');
      await book.apply(this.jobId, { type: 'received', partial }, this.#endColumns(result));
      const routed = await this.#store(result, partial);
      await archive.settle(routed);
      await archive.addReceived(this.#inboxRow(routed, result, partial));
      await this.#removePages();
    } catch (error) {
      await this.#fail(error as Error);
    } finally {
      this.#port.end(this.jobId);
      this.#context.onActivity();
    }
  }

  /**
   * Whether a cancel took effect: the job was canceling and the call did not bring the whole fax in. Like Windows, a
   * canceled reception leaves the queue and reaches no archive; pages already received go with it. A fax that was
   * complete before the cancel could act is routed (the diagram's fjsCANCELING → fjsROUTING).
   */
  async #canceledBeforeTheEnd(result: LineCallResult): Promise<boolean> {
    const row = await this.#context.book.get(this.jobId);
    return baseJobStatus(row.status) === FAX_JOB_STATUS_ENUM.fjsCANCELING && result.outcome.code !== 'ok';
  }

  /**
   * The page files have served their turn once the fax is in the inbox (or nothing was received). Until then they are
   * the only copy of pages the sender was told arrived, so a reception whose fax cannot be written keeps them.
   */
  async #removePages(): Promise<void> {
    await rm(this.#context.files.jobDirectory(this.jobId), { recursive: true, force: true }).catch((error: unknown) =>
      reportFaultToStderr(`the page files of reception ${this.jobId} were not removed`, error),
    );
  }

  /** Storing or routing failed (a full disk, say): the job still ends, failed, saying why. */
  async #fail(error: Error): Promise<void> {
    const { book, archive } = this.#context;
    const row = await book.get(this.jobId);
    const event: JobEvent =
      row.job_type === FAX_JOB_TYPE_ENUM.fjtROUTING
        ? { type: 'retriesExceeded', reason: FAX_JOB_EXTENDED_STATUS_ENUM.fjesNONE }
        : { type: 'failed', reason: FAX_JOB_EXTENDED_STATUS_ENUM.fjesFATAL_ERROR };
    const ended = await book.apply(this.jobId, event, { last_error: `storing the fax failed (${faultCodeOf(error)})` });
    // A routing job whose retries are spent stays in the incoming queue until it is deleted, like an outbound one.
    await archive.settle(ended);
  }

  #enqueue(update: () => Promise<unknown>): void {
    this.#updates = afterUpdates(this.#updates, update, this.jobId);
  }

  #endColumns(result: LineCallResult) {
    return {
      transmission_end: new Date(this.#context.clock.now()).toISOString(),
      last_error: this.#storeFault ?? (result.outcome.code === 'ok' ? '' : result.outcome.code),
    };
  }

  /** Writes the fax files and runs the line's routing methods; the job ends routed (fjsCOMPLETED). */
  async #store(result: LineCallResult, partial: boolean): Promise<JobRow> {
    const { files, book, webhooks } = this.#context;
    const now = new Date(this.#context.clock.now());
    const pages = result.received.map((page, i) => {
      const quality = result.report.pageQuality[i] ?? { badRows: 0, consecutiveBadRows: 0 };
      return {
        page,
        quality: {
          badFaxLines: quality.badRows,
          cleanFaxData: quality.badRows > 0 ? (2 as const) : (0 as const),
          consecutiveBadFaxLines: quality.consecutiveBadRows,
        },
      };
    });
    const tiff = encodeFaxTiff(pages, { compression: 'mmr', dateTime: now });
    await this.#whenWritten(async () => {
      await writeFileAtomic(files.inboxFax(this.jobId, 'tif'), tiff);
      await writeFileAtomic(files.inboxFax(this.jobId, 'pdf'), encodeFaxPdf(result.received, { creationDate: now }));
    });
    const config = this.#port.config;
    if (config.storeFolder) {
      await mkdir(config.storeFolder, { recursive: true });
      await copyFile(files.inboxFax(this.jobId, 'tif'), join(config.storeFolder, `${this.jobId}.tif`));
    }
    const row = await book.get(this.jobId);
    const message = { id: this.jobId, pages: pages.length, partial, tsid: row.tsid, deviceId: config.id };
    if (config.webhook) await webhooks.enqueue(this.jobId, config.webhook, { event: 'incomingMessageAdded', message });
    return book.apply(
      this.jobId,
      { type: 'routed' },
      { size: tiff.length, pages: pages.length, message_id: this.jobId },
    );
  }

  /**
   * The sender was told these pages arrived, so a fax the disk will not take yet (it is full, say) is not given up at
   * once: the writes are tried again every STORE_RETRY_MS, STORE_TRIES times in all, unless faxd is stopping.
   */
  async #whenWritten(write: () => Promise<void>): Promise<void> {
    const { clock, closing } = this.#context;
    for (let tries = 1; ; tries++) {
      try {
        return await write();
      } catch (error) {
        if (tries >= STORE_TRIES || closing()) throw error;
        reportFaultToStderr(`reception ${this.jobId} was not stored yet (try ${tries} of ${STORE_TRIES})`, error);
        await new Promise<void>((resolve) => clock.wakeAt(clock.now() + STORE_RETRY_MS, resolve));
      }
    }
  }

  #inboxRow(row: JobRow, result: LineCallResult, partial: boolean) {
    return {
      id: this.jobId,
      job_id: this.jobId,
      device_id: this.#port.id,
      tsid: row.tsid,
      csid: row.csid,
      caller_id: row.caller_id,
      routing_information: row.routing_information,
      pages: result.received.length,
      size: row.size,
      received_at: row.transmission_end ?? new Date(this.#context.clock.now()).toISOString(),
      transmission_start: this.#startedAt.toISOString(),
      transmission_end: row.transmission_end ?? new Date(this.#context.clock.now()).toISOString(),
      bad_rows: result.report.badRows,
      partial: partial ? 1 : 0,
    };
  }

  #row(): JobRow {
    return newJobRow({
      id: this.jobId,
      direction: 'incoming',
      submission_time: this.#startedAt.toISOString(),
      device_id: this.#port.id,
      csid: this.#port.config.csid,
      caller_id: this.#offered.callerId,
      routing_information: this.#offered.calledNumber,
      recipient_name: recipientOf(this.#port),
      transmission_start: this.#startedAt.toISOString(),
    });
  }
}

/**
 * Who a fax arriving on `port` is for (FaxStatus.RecipientName while receiving). faxd routes by line, not by person,
 * so the seed's "recipient of an inbound transmission" is the line itself: its CSID, the number callers dialed, or
 * its name when it has no CSID.
 */
function recipientOf(port: PortRuntime): string {
  return port.config.csid || port.config.name;
}
