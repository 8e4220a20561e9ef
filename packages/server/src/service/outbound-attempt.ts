// One attempt to send an outbound job on one port (reference §4.3 "Outbound"): fjsINPROGRESS with fjesINITIALIZING,
// fjesDIALING, fjesTRANSMITTING page by page, then completed, a retry, retries exceeded, or canceled.

import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  isFinal,
  type JobEvent,
} from '@faxd/contract';
import { readTiff, type T30Event } from '@faxd/protocol';
import type { FaxdConfig } from '../config/faxd-config.js';
import { CallReport } from '../lines/call-report.js';
import type { CallFailure, LineCallResult, PlacedCall } from '../lines/fax-line.js';
import { headerText, stampHeader } from '../render/page-header.js';
import type { JobRow } from '../store/job-rows.js';
import { readJobFax } from './broadcast-documents.js';
import { CallJobUpdates } from './call-job-updates.js';
import type { Clock } from './clock.js';
import type { DataFiles } from './data-files.js';
import { type JobBook, type JobClaim, JobFencedError } from './job-book.js';
import type { JobStep } from './job-steps.js';
import { failureOf } from './outcome-reasons.js';
import type { PortRuntime } from './port-runtime.js';

export interface AttemptContext {
  readonly book: JobBook;
  readonly files: DataFiles;
  readonly config: FaxdConfig;
  readonly clock: Clock;
  /**
   * Whether this node's lease is surely its own now (cluster-node.ts): a call asks before each step, and is not placed
   * without it, as another node may take its job over once the lease lapses.
   */
  readonly leaseHeld: () => boolean;
}

export class OutboundAttempt {
  readonly jobId: string;
  readonly port: PortRuntime;
  readonly #context: AttemptContext;
  /** The job as the queue read it when it chose this attempt: claimed only if it is still so. */
  readonly #queued: JobRow;
  #call: PlacedCall | undefined;
  #cancelRequested = false;
  #aborted = false;
  #abandoned = false;
  /** Pages of the document on the line: once the last is confirmed, the port shows the call completing. */
  #pageCount = 0;
  /** Job updates from call events, applied in the order the events came. */
  readonly #updates: CallJobUpdates;
  /** This node's claim on the job, which every write of the attempt carries. */
  #claim: JobClaim | undefined;

  /** This node's claim on the job once the attempt holds one. */
  get claim(): JobClaim | undefined {
    return this.#claim;
  }
  /** Another node took the job over during the call: nothing more of it is this attempt's to record. */
  #fenced: JobFencedError | undefined;

  constructor(queued: JobRow, port: PortRuntime, context: AttemptContext) {
    this.jobId = queued.id;
    this.#queued = queued;
    this.port = port;
    this.#context = context;
    this.#updates = new CallJobUpdates(context.book, queued.id, {
      claim: () => this.#claim,
      onFenced: (error) => {
        // The job is another node's now: this call must not deliver what that node is sending again.
        this.#fenced ??= error;
        this.#call?.cancel();
      },
    });
  }

  /** Stops the call; the job ends canceled (or completed, if the last page was already confirmed). */
  cancel(): void {
    this.#cancelRequested = true;
    this.#call?.cancel();
  }

  /** Stops the call because the server is stopping: the attempt failed, and the job is retried at the next start. */
  abort(): void {
    this.#aborted = true;
    this.#call?.cancel();
  }

  /**
   * Stops the call because this node's lease is no longer surely its own: the attempt is a cut call, its job retried
   * (or completed, if every page was confirmed), unless another node has taken the job over by then.
   */
  abandon(): void {
    this.#abandoned = true;
    this.#call?.cancel();
  }

  /**
   * Runs the attempt to its end; resolves with the job's row afterwards, or undefined when the job was not this
   * node's to send (another node claimed it first). Rejects only with JobFencedError (another node took the job over
   * during the call) or a store fault on the last write; any other fault fails the job.
   */
  async run(): Promise<JobRow | undefined> {
    // Canceled, paused or claimed elsewhere between the queue's choice and now: nothing to send.
    const claimed = await this.#context.book.claim(this.#queued, this.#startColumns());
    if (!claimed) return undefined;
    const { row } = claimed;
    this.#claim = claimed.claim;
    this.port.begin(this.#portJob(row), 'Dialing');
    try {
      const pages = await this.#pages(row);
      // Written with the call's first steps: the dialling, the far end's name and the first page often come within
      // one window.
      this.#updates.add({ event: { type: 'dialing' } });
      if (this.#cancelRequested) return await this.#finish({ type: 'canceled' }, undefined);
      // Stopped before dialling: the job stays in progress, and the next start retries it like any cut attempt.
      if (this.#aborted) return row;
      // Not dialled without the lease: the far end must not even ring for a job another node may be sending.
      const { leaseHeld } = this.#context;
      if (this.#abandoned || !leaseHeld()) {
        const cut = cutBeforeDialling();
        return await this.#finish(this.#verdict(cut, row), cut.report, cut.failure);
      }
      this.#pageCount = pages.length;
      const call = { pages, number: row.recipient_number, ident: this.port.config.tsid };
      this.#call = this.port.line.placeCall(call, {
        onEvent: (event, report) => this.#onEvent(event, report),
        recordConfirmed: (report) => this.#updates.write({ columns: { confirmed_pages: report.confirmedWithMcf } }),
        mayContinue: leaseHeld,
      });
      const result = await this.#call.result;
      this.port.callEnded(result);
      if (this.#fenced) throw this.#fenced;
      return await this.#finish(this.#verdict(result, row), result.report, result.failure);
    } catch (error) {
      if (error instanceof JobFencedError) throw error;
      const reason = FAX_JOB_EXTENDED_STATUS_ENUM.fjesFATAL_ERROR;
      this.#updates.add({ columns: { last_error: `internal: ${(error as Error).message}` } });
      const event: JobEvent = this.#cancelRequested ? { type: 'canceled' } : { type: 'retriesExceeded', reason };
      return await this.#finish(event, undefined);
    } finally {
      this.port.end(this.jobId);
    }
  }

  #startColumns() {
    return {
      device_id: this.port.id,
      tsid: this.port.config.tsid,
      csid: '',
      transmission_start: new Date(this.#context.clock.now()).toISOString(),
      transmission_end: null,
      confirmed_pages: 0,
    };
  }

  #portJob(row: JobRow) {
    return {
      direction: 'sending' as const,
      jobId: row.id,
      startMs: this.#context.clock.now(),
      address: row.recipient_number,
      callerId: '',
      csid: '',
      tsid: this.port.config.tsid,
      currentPage: 0,
      documentName: row.document_name,
      documentSize: row.size,
      pageCount: row.pages,
      recipientName: row.recipient_name,
      routingString: '',
      senderName: row.sender_name,
      submittedTime: row.submission_time,
    };
  }

  /** The job's pages with the header line of this attempt stamped on each. */
  async #pages(row: JobRow) {
    const fax = await readJobFax(this.#context.files, row);
    if (!fax) throw new Error(`the fax of job ${row.id} is not stored`);
    const pages = readTiff(fax).map((p) => p.page);
    const fields = {
      tsid: this.port.config.tsid,
      recipient: row.recipient_name || row.recipient_number,
      sender: row.sender_name,
      at: new Date(this.#context.clock.now()),
    };
    const template = this.#context.config.outboundQueue.headerTemplate;
    if (!template) return pages;
    return Promise.all(pages.map((page, i) => stampHeader(page, headerText(template, fields, i + 1, pages.length))));
  }

  #onEvent(event: T30Event, report: CallReport): void {
    this.port.callReported(this.jobId, report.portCall);
    if (event.type === 'remote-ident' && event.frame === 'CSI') {
      this.port.remoteIdentified(this.jobId, report.remoteIdent);
      this.#updates.add({ columns: { csid: report.remoteIdent } });
    } else if (event.type === 'page-started') {
      this.port.pageStarted(this.jobId, event.page);
      this.#updates.add({ event: { type: 'transmitting', page: event.page } });
    } else if (event.type === 'page-done' && event.result === 'MCF' && report.confirmedWithMcf === this.#pageCount) {
      this.port.ending(this.jobId, 'Completed');
    }
  }

  #verdict(result: LineCallResult, row: JobRow): JobEvent {
    const allConfirmed = result.report.confirmedWithMcf === row.pages && row.pages > 0;
    if (result.outcome.code === 'ok' && allConfirmed) return { type: 'completed' };
    if (this.#cancelRequested) return { type: 'canceled' };
    const failure = failureOf(result);
    const expired = row.expires_at !== null && Date.parse(row.expires_at) <= this.#context.clock.now();
    const retry = failure.retry && row.retries < row.max_retries && !expired;
    return { type: retry ? 'retryScheduled' : 'retriesExceeded', reason: failure.reason };
  }

  async #finish(event: JobEvent, report: CallReport | undefined, failure?: CallFailure): Promise<JobRow> {
    const now = new Date(this.#context.clock.now());
    const columns = (current: JobRow) => ({
      transmission_end: now.toISOString(),
      last_error:
        failure ?? (report?.outcome && report.outcome.code !== 'ok' ? report.outcome.code : current.last_error),
      ...(event.type === 'retryScheduled'
        ? { scheduled_time: new Date(now.getTime() + current.retry_delay_seconds * 1000).toISOString() }
        : {}),
    });
    // A user's cancel has already moved the job to fjsCANCELING; a call that gave up on its own gets there first.
    const canceling: JobStep = (current) =>
      event.type === 'canceled' && baseJobStatus(current.status) === FAX_JOB_STATUS_ENUM.fjsINPROGRESS
        ? { event: { type: 'cancelRequested' } }
        : undefined;
    // Decided on the job as this node last wrote it, read again only if someone changed it since. Taken over while the
    // call ran, even a job the other node has finished is not this attempt's to settle (the claim is checked on either
    // row). The call's steps still waiting go in the same write.
    return this.#updates.finish([
      canceling,
      (current) => (isFinal(current.status) ? undefined : { event, columns: columns(current) }),
    ]);
  }
}

/** What a call cut before it was placed reports: nothing sent, and aborted, as a cut call is retried. */
function cutBeforeDialling(): LineCallResult {
  return { report: new CallReport(), outcome: { code: 'local-cancel' }, received: [], failure: 'call-aborted' };
}
