// The faxd REST API's resources and routes (OpenAPI at GET /openapi.json): ports, jobs, the inbox and outbox archives,
// the queue, and the Server-Sent Events channel, shared by the server, the SDK and the CLI.

import type { BroadcastRecipient } from './broadcast.js';
import type { FaxJobStatus } from './fax-job-status.js';
import type { FaxPriorityName } from './server-enums.js';

/**
 * Every route lives under this prefix:
 * - GET ports → FaxPortInfo[]; GET ports/{deviceId} → FaxPortInfo (with its call's media, modem and rate while it
 *   has one); GET ports/{deviceId}/status → FaxStatus;
 *   GET ports/{deviceId}/routing-methods → FaxRoutingMethod[]; GET status → FaxStatus[] (every port, in port order)
 * - POST jobs (SubmitJobRequest) → 201 FaxJob, or with `recipients` 201 SubmittedBroadcast;
 *   GET jobs?direction=outgoing|incoming&all=true&broadcast=ID → FaxJob[] (without `all`, only jobs not yet final;
 *   with `broadcast`, only that broadcast's); GET jobs/{jobId} → FaxJob; POST jobs/{jobId}/{cancel|pause|resume|restart}
 *   → FaxJob
 * - GET broadcasts/{broadcastId} → FaxBroadcast; POST broadcasts/{broadcastId}/cancel → FaxBroadcast (every job not
 *   yet ended canceled, the one on the line by the job cancel rules)
 * - GET inbox → FaxInboxMessage[] (newest first); GET inbox/{id} → FaxInboxMessage; GET inbox/{id}/document.tif and
 *   document.pdf → the fax; GET outbox, outbox/{id} likewise with FaxOutboxMessage
 * - GET queue → FaxQueueState; PATCH queue (a partial FaxQueueState) → FaxQueueState
 * - GET events?mask=N → Server-Sent Events (EVENTS_PATH)
 * - GET me → FaxCaller (who the key belongs to, and its rights)
 * - DELETE inbox/{id}, DELETE outbox/{id} → 204: the archived fax and its files are gone (owner or manage-archives)
 * - GET audit?since=TIME&user=NAME&action=ACTION&limit=N → FaxAuditEntry[] (newest first; manage-config)
 * Errors answer with a FaxErrorBody and the catalog's HTTP status. A server with users or a token wants
 * `Authorization: Bearer KEY` on every route except /openapi.json; each route needs one of the rights its OpenAPI
 * description names (403 FAX_ERR_ACCESS_DENIED), and another user's object answers 404 as a missing one.
 */
export const API_PREFIX = '/v1';

/** A port's configuration, as IFaxPort exposes it (the live activity is its FaxStatus). */
export interface FaxPortInfo {
  readonly deviceId: number;
  readonly name: string;
  /** Whether the port may send faxes. */
  readonly send: boolean;
  /** Whether the port answers calls and receives. */
  readonly receive: boolean;
  /** Rings before answering. */
  readonly rings: number;
  /** Order in which the queue tries ports for a job with no line named; 1 first. */
  readonly priority: number;
  readonly tsid: string;
  readonly csid: string;
  /** Whether a client may change this port's settings (faxd's ports are configured in the config file: false). */
  readonly canModify: boolean;
  /** The line kind: 'loopback', 't38', 'sip' or 'sandbox'. */
  readonly kind: string;
  /** The faxd node whose line this is (several nodes may share one store, each with its own lines). */
  readonly nodeId: string;
  /** The call the port carries now, as its media and modem show it; null while the port has no call. */
  readonly call: FaxPortCall | null;
}

/** How faxd names the image modems (as `fax terminal --json` does). */
export const FAX_MODEM_NAMES = ['V.17', 'V.29', 'V.27ter'] as const;
export type FaxModemName = (typeof FAX_MODEM_NAMES)[number];
/** What carries a call's fax: T.38 over UDPTL, or G.711 audio (µ-law, A-law) on faxd's own modems. */
export const FAX_CALL_MEDIA = ['t38', 'pcmu', 'pcma'] as const;
export type FaxCallMedia = (typeof FAX_CALL_MEDIA)[number];

/**
 * The media and line rate of a port's call: what FaxStatus, fixed at IFaxStatus's 19 properties (DESIGN.md §3), has
 * no place for. Over T.38 the modem and rate are the ones the DCS asks the gateways to use; over audio, faxd's own.
 */
export interface FaxPortCall {
  readonly media: FaxCallMedia;
  /** The image modem of the DCS, or the one a CTC moved to; null until the DCS. */
  readonly modem: FaxModemName | null;
  /** Bits per second on the image modem; null until the DCS. */
  readonly bitRate: number | null;
  /** Whether the DCS chose error correction; null until the DCS. */
  readonly ecm: boolean | null;
}

/** One routing method of a port: what the server does with a fax the port receives. */
export interface FaxRoutingMethod {
  /** 'store' (into the inbox archive and the line's folder) or 'webhook'. */
  readonly method: 'store' | 'webhook';
  readonly friendlyName: string;
  readonly enabled: boolean;
  /** The inbox as the API serves it (`/v1/inbox`), the line's folder, or the webhook URL. */
  readonly target: string;
}

/** One document attached to a submission, base64-encoded. */
export interface SubmittedDocument {
  readonly name: string;
  readonly contentBase64: string;
}

/**
 * A cover page ahead of the documents (FaxDocument.CoverPage, Subject and Note): drawn from a template with the
 * sender's and the recipient's names and numbers, the date and the page count (the cover included), which FaxJobStatus
 * `pages` counts too. A broadcast draws one per job, each with its own recipient.
 */
export interface CoverPageRequest {
  /**
   * A template in the server's cover page folder (`coverPages.folder`), by its name without `.txt`; absent or
   * `"default"`: the folder's `default.txt`, else faxd's built-in page. An unknown name is refused (422
   * FAX_ERR_COVER_PAGE_NOT_FOUND) before anything is queued.
   */
  readonly template?: string;
  readonly subject?: string;
  readonly note?: string;
}

/** What every submission carries, whether to one number or to many. */
interface SubmissionFields {
  readonly documents: readonly SubmittedDocument[];
  readonly senderName?: string;
  /** The sender's company, fax number and voice number for the cover page; absent: the server's `coverPages.sender`. */
  readonly senderCompany?: string;
  readonly senderFaxNumber?: string;
  readonly senderVoiceNumber?: string;
  readonly coverPage?: CoverPageRequest;
  readonly priority?: FaxPriorityName;
  /** An ISO 8601 time, or 'discount' for the next discount-rate window; absent: as soon as a line is free. */
  readonly scheduledAt?: string;
  /** The device id of the port to send on; absent: any port that may send. */
  readonly line?: number;
  /** Overrides of the server's outbound queue settings for this job (for each job of a broadcast). */
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
  /** An e-mail address that gets the job's delivery report when it ends (completed, or its retries spent). */
  readonly notify?: string;
}

/** A submission to one number: 201 FaxJob. */
export interface SubmitSingleRequest extends SubmissionFields {
  /** The fax number to dial: digits, with optional leading '+', spaces, dashes, dots, parentheses. */
  readonly to: string;
  readonly recipientName?: string;
  readonly recipients?: never;
}

/**
 * A broadcast: 201 SubmittedBroadcast, one job per entry in entry order, the documents converted once for all.
 * At most `limits.recipientsPerSubmission` entries (413 FAX_ERR_TOO_MANY_RECIPIENTS); an empty list is 400
 * FAX_ERR_BAD_REQUEST (field `recipients`); a malformed number 422 FAX_ERR_BAD_NUMBER (field `recipients[i].number`);
 * two entries with the same dialed number 422 FAX_ERR_DUPLICATE_RECIPIENT. A refused list leaves no job behind.
 */
export interface SubmitBroadcastRequest extends SubmissionFields {
  readonly recipients: readonly BroadcastRecipient[];
  readonly to?: never;
  /** Refused with `recipients`: each entry carries its own name. */
  readonly recipientName?: never;
}

/** POST /v1/jobs: exactly one of `to` and `recipients` (both or neither: 400 FAX_ERR_BAD_REQUEST naming the field). */
export type SubmitJobRequest = SubmitSingleRequest | SubmitBroadcastRequest;

/** A job as GET /v1/jobs/{jobId} returns it: its FaxJobStatus, plus what was submitted (for an outbound job). */
export interface FaxJob extends FaxJobStatus {
  readonly direction: 'outgoing' | 'incoming';
  /** Dialed number (outbound) or `""`. */
  readonly recipientNumber: string;
  readonly recipientName: string;
  readonly senderName: string;
  readonly documentName: string;
  /** FAX_PRIORITY_TYPE_ENUM. */
  readonly priority: number;
  readonly submissionTime: string;
  /** Why the last attempt failed, as a T.30 or line outcome code (`""` if none failed). */
  readonly lastError: string;
  /** The inbox or outbox message this job became, once archived. */
  readonly messageId: string | null;
  /** The broadcast the job is one recipient of, or `null` for a job submitted with `to` (and inbound jobs). */
  readonly broadcastId: string | null;
}

/** A received fax in the incoming archive (`fax inbox --json`). */
export interface FaxInboxMessage {
  readonly id: string;
  readonly jobId: string;
  readonly deviceId: number;
  /** The sender's TSI. */
  readonly tsid: string;
  /** This port's CSI as sent to the caller. */
  readonly csid: string;
  readonly callerId: string;
  readonly routingInformation: string;
  readonly pages: number;
  /** Bytes of the stored TIFF Class F file. */
  readonly size: number;
  readonly receivedAt: string;
  readonly transmissionStart: string;
  readonly transmissionEnd: string;
  /** Rows the decoder could not read, over all pages. */
  readonly badRows: number;
  /** True when the call ended before the sender's last page was confirmed (fjesPARTIALLY_RECEIVED). */
  readonly partial: boolean;
}

/** A sent (or finally failed) fax in the outgoing archive. */
export interface FaxOutboxMessage {
  readonly id: string;
  readonly jobId: string;
  readonly deviceId: number | null;
  readonly recipientNumber: string;
  readonly recipientName: string;
  readonly senderName: string;
  readonly documentName: string;
  readonly csid: string;
  readonly tsid: string;
  readonly pages: number;
  readonly size: number;
  readonly retries: number;
  /** FAX_JOB_STATUS_ENUM of the job's end. */
  readonly status: number;
  readonly submissionTime: string;
  readonly transmissionStart: string | null;
  readonly transmissionEnd: string | null;
}

/** GET/PATCH /v1/queue: the state of the queues, as queuesStatusChange reports it. */
export interface FaxQueueState {
  /** No new outbound jobs are accepted. */
  readonly outgoingQueueBlocked: boolean;
  /** Queued jobs are kept but none is started. */
  readonly outgoingQueuePaused: boolean;
  /** Lines do not answer. */
  readonly incomingQueueBlocked: boolean;
}

/** The four operations `fax cancel|pause|resume|restart ID` apply: POST /v1/jobs/{jobId}/{operation}. */
export const JOB_OPERATIONS = ['cancel', 'pause', 'resume', 'restart'] as const;
export type JobOperation = (typeof JOB_OPERATIONS)[number];

/**
 * The push channel: GET /v1/events?mask=N answers `text/event-stream`; each event is one SSE message whose `event:`
 * field is the event name and whose `data:` is the FaxServerEvent JSON. `mask` is a FAX_SERVER_EVENTS_TYPE_ENUM
 * bit-mask (default: every event).
 */
export const EVENTS_PATH = `${API_PREFIX}/events`;

/** One act in the audit log (GET /v1/audit): who did what to which object, when, from which address. */
export interface FaxAuditEntry {
  readonly seq: number;
  readonly time: string;
  /** A user's name, `token` (the configuration's administrator key), `anonymous`, or `faxd user` (the command). */
  readonly user: string;
  readonly action: FaxAuditAction;
  /** `job:ID`, `inbox:ID`, `outbox:ID`, `broadcast:ID`, `user:NAME` or `queue`. */
  readonly object: string;
  /** The client's IP address; null for the command line. */
  readonly address: string | null;
}

/** What the audit log records. */
export const FAX_AUDIT_ACTIONS = [
  'submitted',
  'read',
  'downloaded',
  'canceled',
  'paused',
  'resumed',
  'restarted',
  'deleted',
  'queue-changed',
  'user-added',
  'user-removed',
  'user-rights',
  'user-key',
] as const;
export type FaxAuditAction = (typeof FAX_AUDIT_ACTIONS)[number];
