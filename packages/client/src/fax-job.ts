// FaxJob: a job in the server's queue as GET /v1/jobs/{jobId} returns it, its FaxJobStatus plus what was submitted
// (the fields of FaxOutgoingJob that do not change as the job runs).

import {
  FAX_JOB_STATUS_PROPERTIES,
  type FaxJob as FaxJobData,
  type FaxJobStatus as FaxJobStatusData,
} from '@faxd/contract';
import { FaxJobStatus } from './fax-job-status.js';

/** The fields a FaxJob adds to its FaxJobStatus, in wire order. */
const SUBMITTED_FIELDS = [
  'direction',
  'recipientNumber',
  'recipientName',
  'senderName',
  'documentName',
  'priority',
  'submissionTime',
  'lastError',
  'messageId',
  'broadcastId',
] as const satisfies readonly Exclude<keyof FaxJobData, keyof FaxJobStatusData>[];

export class FaxJob {
  readonly #data: FaxJobData;
  /** The job's dynamic state at the time of the answer. */
  readonly status: FaxJobStatus;

  /** Made by the SDK from the server's answer. */
  constructor(data: FaxJobData) {
    this.#data = data;
    this.status = new FaxJobStatus(data);
  }

  get jobId(): string {
    return this.#data.jobId;
  }
  get direction(): 'outgoing' | 'incoming' {
    return this.#data.direction;
  }
  /** The dialed number (outbound), or `""`. */
  get recipientNumber(): string {
    return this.#data.recipientNumber;
  }
  get recipientName(): string {
    return this.#data.recipientName;
  }
  get senderName(): string {
    return this.#data.senderName;
  }
  get documentName(): string {
    return this.#data.documentName;
  }
  /** FAX_PRIORITY_TYPE_ENUM: 0 low, 1 normal, 2 high. */
  get priority(): number {
    return this.#data.priority;
  }
  get submissionTime(): Date {
    return new Date(this.#data.submissionTime);
  }
  /** Why the last attempt failed, as a T.30 or line outcome code (`""` if none failed). */
  get lastError(): string {
    return this.#data.lastError;
  }
  /** The archive message this job became, once archived. */
  get messageId(): string | null {
    return this.#data.messageId;
  }

  /** The broadcast this job is one recipient of (IFaxOutgoingJob.SubmissionId), or `null` for a job sent alone. */
  get broadcastId(): string | null {
    return this.#data.broadcastId;
  }

  /** The wire shape: the FaxJobStatus properties, then the submitted fields. */
  toJSON(): FaxJobData {
    const data = this.#data as unknown as Readonly<Record<string, unknown>>;
    const names = [...FAX_JOB_STATUS_PROPERTIES, ...SUBMITTED_FIELDS];
    return Object.fromEntries(names.map((name) => [name, data[name]])) as unknown as FaxJobData;
  }
}
