// What FaxServer.submit takes, to one number or to many, and its translation into the contract's SubmitJobRequest
// (POST /v1/jobs): documents as base64, the schedule as an ISO time or 'discount'.

import type {
  BroadcastRecipient,
  CoverPageRequest,
  FaxPriorityName,
  SubmitJobRequest,
  SubmittedDocument,
} from '@faxd/contract';

/** One document to send: its display name (the extension tells the server its type) and its bytes. */
export interface FaxDocumentInput {
  readonly name: string;
  readonly content: Uint8Array;
}

/** What every submission takes, whether to one number or to many. */
export interface SubmissionOptions {
  /** The documents, sent one after another as one fax. */
  readonly documents: readonly FaxDocumentInput[];
  readonly senderName?: string;
  /** The sender's company, fax number and voice number on the cover page; absent: the server's defaults. */
  readonly senderCompany?: string;
  readonly senderFaxNumber?: string;
  readonly senderVoiceNumber?: string;
  /**
   * A cover page ahead of the documents, from one of the server's templates (absent `template`: its default), with
   * this subject and note; each job of a broadcast gets its own, naming its recipient. It counts among the pages.
   */
  readonly coverPage?: CoverPageRequest;
  /** Default: the server's (COM's default for a new document is low). */
  readonly priority?: FaxPriorityName;
  /** When to send: a time, or 'discount' for the server's next discount-rate window; absent, as soon as possible. */
  readonly scheduledAt?: Date | 'discount';
  /** The device id of the port to send on; absent, any port that may send. */
  readonly line?: number;
  /** Overrides of the server's outbound queue settings for the job (for each job of a broadcast). */
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
  /** An address the server mails a delivery report to when the job (each job of a broadcast) ends; needs its smtp. */
  readonly notify?: string;
}

/** A fax to one number: one job. */
export interface SubmitOptions extends SubmissionOptions {
  /** The fax number to dial. */
  readonly to: string;
  readonly recipientName?: string;
  readonly recipients?: never;
}

/** A broadcast (FaxDocument.Recipients): one job per recipient, in list order, the documents converted once. */
export interface BroadcastOptions extends SubmissionOptions {
  /** Each recipient's number to dial and, optionally, its name. */
  readonly recipients: readonly BroadcastRecipient[];
  readonly to?: never;
  readonly recipientName?: never;
}

/** Bytes per String.fromCharCode call, well under engines' argument limits. */
const BASE64_CHUNK = 0x8000;

/** Standard base64 (RFC 4648 §4) of `bytes`, without Node's Buffer so that browsers can run the SDK too. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK));
  }
  return btoa(binary);
}

/** The documents as the API carries them (a submission's, a preview's). */
export function encodeDocuments(documents: readonly FaxDocumentInput[]): SubmittedDocument[] {
  return documents.map((document) => ({ name: document.name, contentBase64: encodeBase64(document.content) }));
}

function scheduleOf(scheduledAt: Date | 'discount'): string {
  if (scheduledAt === 'discount') return scheduledAt;
  if (Number.isNaN(scheduledAt.getTime())) throw new RangeError('scheduledAt is an invalid Date');
  return scheduledAt.toISOString();
}

/** The request body for `options`; optional fields left out stay absent. */
export function submitJobRequest(options: SubmitOptions | BroadcastOptions): SubmitJobRequest {
  const fields = {
    documents: encodeDocuments(options.documents),
    senderName: options.senderName,
    senderCompany: options.senderCompany,
    senderFaxNumber: options.senderFaxNumber,
    senderVoiceNumber: options.senderVoiceNumber,
    coverPage: options.coverPage,
    priority: options.priority,
    scheduledAt: options.scheduledAt === undefined ? undefined : scheduleOf(options.scheduledAt),
    line: options.line,
    retries: options.retries,
    retryDelaySeconds: options.retryDelaySeconds,
    notify: options.notify,
  };
  if (options.recipients !== undefined) {
    // Only the two fields of an entry: a caller's own fields (a list's line numbers, say) would be refused.
    return { recipients: options.recipients.map(({ number, name }) => ({ number, name })), ...fields };
  }
  return { to: options.to, recipientName: options.recipientName, ...fields };
}
