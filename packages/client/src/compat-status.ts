// FaxStatus and FaxJobStatus under their COM property names (faxcom.h IFaxStatus, faxcomex.h IFaxJobStatus), thin
// wrappers over the SDK's classes for scripts ported from the Windows fax API.

import type { FaxJobTypeEnum } from '@faxd/contract';
import type { FaxJobStatus as SdkFaxJobStatus } from './fax-job-status.js';
import type { FaxStatus as SdkFaxStatus } from './fax-status.js';

/** IFaxStatus: a port's status, with Refresh. ElapsedTime is whole seconds (the contract's ELAPSED_TIME_UNIT). */
export class FaxStatus {
  /** The SDK object this one wraps. */
  readonly status: SdkFaxStatus;

  constructor(status: SdkFaxStatus) {
    this.status = status;
  }

  Refresh(): Promise<void> {
    return this.status.refresh();
  }

  get Address(): string | null {
    return this.status.address;
  }
  get CallerId(): string | null {
    return this.status.callerId;
  }
  get Csid(): string | null {
    return this.status.csid;
  }
  get CurrentPage(): number | null {
    return this.status.currentPage;
  }
  get Description(): string {
    return this.status.description;
  }
  get DeviceId(): number {
    return this.status.deviceId;
  }
  get DeviceName(): string {
    return this.status.deviceName;
  }
  get DocumentName(): string | null {
    return this.status.documentName;
  }
  get DocumentSize(): number | null {
    return this.status.documentSize;
  }
  get ElapsedTime(): number | null {
    return this.status.elapsedTime;
  }
  get PageCount(): number | null {
    return this.status.pageCount;
  }
  get Receive(): boolean {
    return this.status.receive;
  }
  get RecipientName(): string | null {
    return this.status.recipientName;
  }
  get RoutingString(): string | null {
    return this.status.routingString;
  }
  get Send(): boolean {
    return this.status.send;
  }
  get SenderName(): string | null {
    return this.status.senderName;
  }
  get StartTime(): Date | null {
    return this.status.startTime;
  }
  get SubmittedTime(): Date | null {
    return this.status.submittedTime;
  }
  get Tsid(): string | null {
    return this.status.tsid;
  }

  toJSON() {
    return this.status.toJSON();
  }
}

/** IFaxJobStatus: a job's state as the job-changed events deliver it. CSID and TSID keep COM's capitals. */
export class FaxJobStatus {
  /** The SDK object this one wraps. */
  readonly jobStatus: SdkFaxJobStatus;

  constructor(jobStatus: SdkFaxJobStatus) {
    this.jobStatus = jobStatus;
  }

  /** Not an IFaxJobStatus property: the event carries it as bstrJobId. */
  get JobId(): string {
    return this.jobStatus.jobId;
  }
  get Status(): number {
    return this.jobStatus.status;
  }
  get Pages(): number {
    return this.jobStatus.pages;
  }
  get Size(): number {
    return this.jobStatus.size;
  }
  get CurrentPage(): number {
    return this.jobStatus.currentPage;
  }
  get DeviceId(): number | null {
    return this.jobStatus.deviceId;
  }
  get CSID(): string {
    return this.jobStatus.csid;
  }
  get TSID(): string {
    return this.jobStatus.tsid;
  }
  get ExtendedStatusCode(): number {
    return this.jobStatus.extendedStatusCode;
  }
  get ExtendedStatus(): string {
    return this.jobStatus.extendedStatus;
  }
  get AvailableOperations(): number {
    return this.jobStatus.availableOperations;
  }
  get Retries(): number {
    return this.jobStatus.retries;
  }
  get JobType(): FaxJobTypeEnum {
    return this.jobStatus.jobType;
  }
  get ScheduledTime(): Date | null {
    return this.jobStatus.scheduledTime;
  }
  get TransmissionStart(): Date | null {
    return this.jobStatus.transmissionStart;
  }
  get TransmissionEnd(): Date | null {
    return this.jobStatus.transmissionEnd;
  }
  get CallerId(): string {
    return this.jobStatus.callerId;
  }
  get RoutingInformation(): string {
    return this.jobStatus.routingInformation;
  }

  toJSON() {
    return this.jobStatus.toJSON();
  }
}
