// FaxJobStatus: the dynamic state of one job, IFaxJobStatus (faxcomex.h) with its 17 read-only properties camel-cased,
// plus the job's id; what outgoingJobChanged and incomingJobChanged deliver.

import {
  FAX_JOB_STATUS_PROPERTIES,
  type FaxJobStatus as FaxJobStatusData,
  type FaxJobTypeEnum,
  isFinal,
} from '@faxd/contract';
import { dateOrNull } from './fax-status.js';

/** A snapshot of a job's state. Enumerations keep their COM numeric values (FAX_JOB_STATUS_ENUM and so on). */
export class FaxJobStatus {
  readonly #data: FaxJobStatusData;

  /** Made by the SDK from the server's answer or an event. */
  constructor(data: FaxJobStatusData) {
    this.#data = data;
  }

  get jobId(): string {
    return this.#data.jobId;
  }
  /** FAX_JOB_STATUS_ENUM: one base state, possibly OR-ed with fjsPAUSED or fjsNOLINE. */
  get status(): number {
    return this.#data.status;
  }
  /** Pages of the document to send; for a reception, pages received so far. */
  get pages(): number {
    return this.#data.pages;
  }
  /** Bytes of the job's TIFF Class F file. */
  get size(): number {
    return this.#data.size;
  }
  /** The page being sent or received, 1-based; 0 before the first page. */
  get currentPage(): number {
    return this.#data.currentPage;
  }
  /** The line handling the job; `null` until one takes it. */
  get deviceId(): number | null {
    return this.#data.deviceId;
  }
  get csid(): string {
    return this.#data.csid;
  }
  get tsid(): string {
    return this.#data.tsid;
  }
  /** FAX_JOB_EXTENDED_STATUS_ENUM, e.g. fjesDIALING, fjesBUSY, fjesCALL_COMPLETED. */
  get extendedStatusCode(): number {
    return this.#data.extendedStatusCode;
  }
  get extendedStatus(): string {
    return this.#data.extendedStatus;
  }
  /** FAX_JOB_OPERATIONS_ENUM bit-mask of what a client may do now. */
  get availableOperations(): number {
    return this.#data.availableOperations;
  }
  /** Attempts made after the first one failed. */
  get retries(): number {
    return this.#data.retries;
  }
  /** FAX_JOB_TYPE_ENUM: fjtSEND, fjtRECEIVE or fjtROUTING. */
  get jobType(): FaxJobTypeEnum {
    return this.#data.jobType;
  }
  /** When an outbound job is due; `null` for inbound jobs. */
  get scheduledTime(): Date | null {
    return dateOrNull(this.#data.scheduledTime);
  }
  get transmissionStart(): Date | null {
    return dateOrNull(this.#data.transmissionStart);
  }
  /** `null` while transmitting or if no transmission happened. */
  get transmissionEnd(): Date | null {
    return dateOrNull(this.#data.transmissionEnd);
  }
  get callerId(): string {
    return this.#data.callerId;
  }
  get routingInformation(): string {
    return this.#data.routingInformation;
  }

  /** Whether the job has ended: completed, failed, canceled or out of retries. */
  get isFinal(): boolean {
    return isFinal(this.#data.status);
  }

  /** The wire shape: exactly `jobId` and the 17 properties, in the contract's order, times as ISO strings. */
  toJSON(): FaxJobStatusData {
    const data = this.#data as unknown as Readonly<Record<string, unknown>>;
    return Object.fromEntries(
      FAX_JOB_STATUS_PROPERTIES.map((name) => [name, data[name]]),
    ) as unknown as FaxJobStatusData;
  }
}
