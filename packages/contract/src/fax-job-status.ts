// FaxJobStatus as the API returns it in JSON: the 17 properties of IFaxJobStatus (faxcomex.h), the dynamic state of
// one job carried by outgoingJobChanged and incomingJobChanged, plus the job's id.

import { isMemberOf } from './enum-names.js';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_TYPE_ENUM, type FaxJobTypeEnum, isJobStatusValue } from './job-enums.js';
import { availableOperations } from './job-operations.js';
import { type FieldKind, type FieldRules, isJsonObject, shapeProblems } from './json-shape.js';

/**
 * A job's dynamic state. Enumerations carry their COM numeric values; times are ISO 8601 UTC strings ending in `Z`
 * (Windows reports these three in local time: faxd does not). Strings the remote has not supplied are `""`.
 */
export interface FaxJobStatus {
  /** The job's id, as in outgoingJobAdded and `fax job ID`. Not an IFaxJobStatus property: the event carries it. */
  readonly jobId: string;
  /** FAX_JOB_STATUS_ENUM: one base state, possibly OR-ed with fjsPAUSED or fjsNOLINE (e.g. 17 = paused, pending). */
  readonly status: number;
  /** Pages in the document to send; for a reception, pages received so far. */
  readonly pages: number;
  /** Bytes of the job's TIFF Class F file (so far, for a reception). */
  readonly size: number;
  /** The page being sent or received, 1-based; 0 before the first page of an attempt. */
  readonly currentPage: number;
  /** The line handling the job; `null` until a line takes it. */
  readonly deviceId: number | null;
  /** Called station identifier: the remote's on a send, this line's on a reception. */
  readonly csid: string;
  /** Transmitting station identifier: this line's (or the job's) on a send, the remote's on a reception. */
  readonly tsid: string;
  /** FAX_JOB_EXTENDED_STATUS_ENUM: the line's detail, e.g. fjesDIALING, fjesBUSY, fjesCALL_COMPLETED. */
  readonly extendedStatusCode: number;
  /** Text of a line-specific extended code; always `""` for the standard fjes values faxd reports. */
  readonly extendedStatus: string;
  /** FAX_JOB_OPERATIONS_ENUM bit-mask of what a client may do now (pause, resume, restart, delete, ...). */
  readonly availableOperations: number;
  /** Attempts made after the first one failed; for a routing job, routing attempts. */
  readonly retries: number;
  /** FAX_JOB_TYPE_ENUM: fjtSEND, fjtRECEIVE while the line receives, fjtROUTING once the fax is stored. */
  readonly jobType: FaxJobTypeEnum;
  /** When an outbound job is due to be sent; `null` for inbound jobs. */
  readonly scheduledTime: string | null;
  /** When the current or last transmission began; `null` if none has. */
  readonly transmissionStart: string | null;
  /** When the last transmission ended; `null` while transmitting or if none has. */
  readonly transmissionEnd: string | null;
  /** Caller id presented by the calling device on a reception. */
  readonly callerId: string;
  /** Line-specific routing information of a reception, e.g. the dialed number on a SIP line. */
  readonly routingInformation: string;
}

export type FaxJobStatusProperty = keyof FaxJobStatus;

const KINDS: Readonly<Record<FaxJobStatusProperty, readonly [FieldKind, boolean]>> = {
  jobId: ['string', false],
  status: ['integer', false],
  pages: ['count', false],
  size: ['count', false],
  currentPage: ['count', false],
  deviceId: ['count', true],
  csid: ['string', false],
  tsid: ['string', false],
  extendedStatusCode: ['count', false],
  extendedStatus: ['string', false],
  availableOperations: ['count', false],
  retries: ['count', false],
  jobType: ['count', false],
  scheduledTime: ['time', true],
  transmissionStart: ['time', true],
  transmissionEnd: ['time', true],
  callerId: ['string', false],
  routingInformation: ['string', false],
};

/** `jobId`, then the 17 IFaxJobStatus properties in vtable order, which `fax job ID --json` follows. */
export const FAX_JOB_STATUS_PROPERTIES = Object.keys(KINDS) as readonly FaxJobStatusProperty[];

const RULES: FieldRules = Object.fromEntries(
  FAX_JOB_STATUS_PROPERTIES.map((property) => {
    const [kind, nullable] = KINDS[property];
    return [property, { kind, nullable }];
  }),
);

/**
 * Everything wrong with `value` as a FaxJobStatus: shape and types, enumeration values, and the fields that must
 * agree with each other (availableOperations is the job state machine's, an end needs a start). Empty if it conforms.
 */
export function faxJobStatusProblems(value: unknown): string[] {
  const problems = shapeProblems(value, RULES, 'FaxJobStatus');
  if (problems.length > 0 || !isJsonObject(value)) return problems;
  const status = value as unknown as FaxJobStatus;
  if (!isJobStatusValue(status.status)) problems.push(`FaxJobStatus.status ${status.status} is not a job status`);
  if (!isMemberOf(FAX_JOB_TYPE_ENUM, status.jobType)) {
    problems.push(`FaxJobStatus.jobType ${status.jobType} is not a fjt value`);
  } else if (status.availableOperations !== availableOperations(status.status, status.jobType)) {
    problems.push(`FaxJobStatus.availableOperations ${status.availableOperations} does not match the status`);
  }
  const code = status.extendedStatusCode;
  if (code < FAX_JOB_EXTENDED_STATUS_ENUM.fjesPROPRIETARY && !isMemberOf(FAX_JOB_EXTENDED_STATUS_ENUM, code)) {
    problems.push(`FaxJobStatus.extendedStatusCode ${code} is not a fjes value`);
  }
  if ((status.jobType === FAX_JOB_TYPE_ENUM.fjtSEND) !== (status.scheduledTime !== null)) {
    problems.push('FaxJobStatus.scheduledTime must be set for an outbound job and null for an inbound one');
  }
  if (status.transmissionEnd !== null && status.transmissionStart === null) {
    problems.push('FaxJobStatus.transmissionEnd is set but transmissionStart is null');
  }
  return problems;
}

/** Whether `value` is a conforming FaxJobStatus. */
export function isFaxJobStatus(value: unknown): value is FaxJobStatus {
  return faxJobStatusProblems(value).length === 0;
}
