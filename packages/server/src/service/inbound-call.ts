// A fax the line's peer sends (reference §4.3 "Inbound"): an incoming job from the start of the call's T.30 session to
// routing — fjsINPROGRESS with fjesANSWERED then fjesRECEIVING page by page, the fax stored as TIFF Class F and PDF,
// partial receptions kept and marked fjesPARTIALLY_RECEIVED, then routed (inbox, folder, webhook) and removed from the
// queue.

import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  type JobEvent,
} from '@faxd/contract';
import type { BilevelPage, T30Event } from '@faxd/protocol';
import { type CodedTiffPage, codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import { encodeFaxTiff } from '../documents/fax-files.js';
import type { CallReport } from '../lines/call-report.js';
import type { IncomingCall, LineCallResult } from '../lines/fax-line.js';
import { type JobRow, newJobRow } from '../store/job-rows.js';
import { CallJobUpdates } from './call-job-updates.js';
import type { Clock } from './clock.js';
import { faultCodeOf, newId, writeFileAtomic } from './data-files.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import { failureOf } from './outcome-reasons.js';
import type { PortRuntime } from './port-runtime.js';
import {
  endRoutingFailed,
  type ReceivedFax,
  type RoutingContext,
  removeReceivedPages,
  routedQuality,
  routeReceivedFax,
} from './reception-routing.js';

export interface InboundContext extends RoutingContext {
  readonly hub: EventHub;
  readonly clock: Clock;
  readonly onActivity: () => void;
  /** Whether faxd is stopping: a fax that cannot be written is not waited for then. */
  readonly closing: () => boolean;
  /**
   * Whether this node's lease is surely its own now: a reception asks before each step, so it confirms no page once
   * another node may have taken its job over (cluster-node.ts).
   */
  readonly leaseHeld: () => boolean;
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
  /** Job updates from call events, applied in the order the events came, once the job's row is created. */
  #updates: CallJobUpdates | undefined;
  /** Whether the call has begun carrying a fax, and so has a job (see #start). */
  #started = false;
  /** Why a page could not be stored, for the job's last error. */
  #storeFault: string | undefined;
  /** Bytes of the pages stored so far: the job's Size while it is received. */
  #storedBytes = 0;
  /** The stored pages with their codes, by page number from 1 at index 0. */
  readonly #codedPages: { page: BilevelPage; coded: CodedTiffPage }[] = [];

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
    const created = context.book.create(this.#row()).then(
      () => {},
      (error: unknown) => reportFaultToStderr(`reception ${this.jobId} was not recorded`, error),
    );
    this.#updates = new CallJobUpdates(context.book, this.jobId, {}, created);
    context.onActivity();
  }

  onEvent(event: T30Event, report: CallReport): void {
    this.#start();
    this.#port.callReported(this.jobId, report.portCall);
    if (event.type === 'remote-ident' && event.frame === 'TSI') {
      this.#port.remoteIdentified(this.jobId, report.remoteIdent);
      this.#updates?.add({ columns: { tsid: report.remoteIdent } });
    } else if (event.type === 'page-started') {
      this.#port.pageStarted(this.jobId, event.page);
      this.#updates?.add({ event: { type: 'receiving', page: event.page }, columns: { pages: event.page } });
    }
  }

  /**
   * Writes a received page under the job's directory, durably, before the line confirms it to the sender: a page that
   * cannot be stored is never confirmed (the line answers DCN) and the job ends saying why.
   */
  async storePage(page: BilevelPage, number: number): Promise<void> {
    this.#start();
    try {
      const coded = codeTiffPage(page, { compression: 'mmr' });
      const tiff = encodeFaxTiff([coded], { compression: 'mmr', dateTime: new Date(this.#context.clock.now()) });
      // Kept for routing, which writes the same code into the inbox's TIFF and PDF.
      this.#codedPages[number - 1] = { page, coded };
      await writeFileAtomic(this.#context.files.receivedPage(this.jobId, number), tiff);
      // FaxJobStatus.Size grows as pages arrive (reference §4.3 "Inbound"), not only once the fax is routed.
      this.#storedBytes += tiff.length;
      const size = this.#storedBytes;
      this.#updates?.add({ columns: { size } });
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
    const updates = this.#updates;
    if (!this.#started || !updates) return;
    const { archive } = this.#context;
    try {
      let routing: JobRow;
      try {
        if (result.outcome.code === 'ok' && result.received.length > 0) this.#port.ending(this.jobId, 'Completed');
        // The end chosen on the row the write landed on (it is chosen again if the job changed since this node wrote
        // it), written with the call's steps still waiting.
        const chosen: { end?: JobEvent } = {};
        const ended = await updates.finish([
          (row) => {
            chosen.end = this.#endOf(row, result);
            return { event: chosen.end, columns: this.#endColumns(result) };
          },
        ]);
        // A job announced as removed has no files left behind: its pages go first.
        if (chosen.end?.type !== 'received') {
          await removeReceivedPages(this.#context.files, this.jobId);
          await archive.settle(ended);
          return;
        }
        routing = ended;
      } catch (error) {
        await this.#fail(error as Error);
        return;
      }
      // A store that refuses the message or the job's end throws from here: the job stays in fjsROUTING with its
      // files, and the service tries the routing again (UnrecordedEnds), as the next start would.
      await routeReceivedFax(
        this.#context,
        this.#port.config,
        routing,
        () => this.#fax(result),
        (write) => this.#whenWritten(write),
        true,
      );
    } finally {
      this.#port.end(this.jobId);
      this.#context.onActivity();
    }
  }

  /**
   * How the call ends the job `row`: canceled if a cancel took effect (the job was canceling and the call did not bring
   * the whole fax in), failed if nothing came in, else received and to be routed. Like Windows, a canceled reception
   * leaves the queue and reaches no archive; pages already received go with it. A fax that was complete before the
   * cancel could act is routed (the diagram's fjsCANCELING → fjsROUTING).
   */
  #endOf(row: JobRow, result: LineCallResult): JobEvent {
    const canceling = baseJobStatus(row.status) === FAX_JOB_STATUS_ENUM.fjsCANCELING;
    if (canceling && result.outcome.code !== 'ok') return { type: 'canceled' };
    if (result.received.length === 0) return { type: 'failed', reason: failureOf(result).reason };
    return { type: 'received', partial: result.outcome.code !== 'ok' };
  }

  /** Recording the call's end failed (a full disk, say): the job still ends, failed, saying why. */
  async #fail(error: Error): Promise<void> {
    const { book, archive } = this.#context;
    const why = `storing the fax failed (${faultCodeOf(error)})`;
    const row = await book.get(this.jobId);
    if (row.job_type === FAX_JOB_TYPE_ENUM.fjtROUTING) {
      await endRoutingFailed(this.#context, row, why);
      return;
    }
    const reason = FAX_JOB_EXTENDED_STATUS_ENUM.fjesFATAL_ERROR;
    await archive.settle(await book.apply(this.jobId, { type: 'failed', reason }, { last_error: why }));
  }

  #endColumns(result: LineCallResult) {
    return {
      transmission_end: new Date(this.#context.clock.now()).toISOString(),
      last_error: this.#storeFault ?? (result.outcome.code === 'ok' ? '' : result.outcome.code),
    };
  }

  /** The fax the call brought in, as routing files it: its pages with the damage each had. */
  #fax(result: LineCallResult): ReceivedFax {
    const pages = result.received.map((page, i) => ({
      page,
      quality: routedQuality(result.report.pageQuality[i] ?? { badRows: 0, consecutiveBadRows: 0 }),
      coded: this.#codedPages[i]?.page === page ? this.#codedPages[i]?.coded : undefined,
    }));
    const partial = result.outcome.code !== 'ok';
    return { pages, partial, badRows: result.report.badRows, now: this.#context.clock.now() };
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
