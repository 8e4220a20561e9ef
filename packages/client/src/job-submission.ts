// What FaxServer.submit takes, and its translation into the contract's SubmitJobRequest (POST /v1/jobs): documents as
// base64, the schedule as an ISO time or 'discount'.

import type { FaxPriorityName, SubmitJobRequest } from '@faxd/contract';

/** One document to send: its display name (the extension tells the server its type) and its bytes. */
export interface FaxDocumentInput {
  readonly name: string;
  readonly content: Uint8Array;
}

export interface SubmitOptions {
  /** The fax number to dial. */
  readonly to: string;
  /** The documents, sent one after another as one fax. */
  readonly documents: readonly FaxDocumentInput[];
  readonly recipientName?: string;
  readonly senderName?: string;
  /** Default: the server's (COM's default for a new document is low). */
  readonly priority?: FaxPriorityName;
  /** When to send: a time, or 'discount' for the server's next discount-rate window; absent, as soon as possible. */
  readonly scheduledAt?: Date | 'discount';
  /** The device id of the port to send on; absent, any port that may send. */
  readonly line?: number;
  /** Overrides of the server's outbound queue settings for this job. */
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
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

function scheduleOf(scheduledAt: Date | 'discount'): string {
  if (scheduledAt === 'discount') return scheduledAt;
  if (Number.isNaN(scheduledAt.getTime())) throw new RangeError('scheduledAt is an invalid Date');
  return scheduledAt.toISOString();
}

/** The request body for `options`; optional fields left out stay absent. */
export function submitJobRequest(options: SubmitOptions): SubmitJobRequest {
  return {
    to: options.to,
    documents: options.documents.map((document) => ({
      name: document.name,
      contentBase64: encodeBase64(document.content),
    })),
    recipientName: options.recipientName,
    senderName: options.senderName,
    priority: options.priority,
    scheduledAt: options.scheduledAt === undefined ? undefined : scheduleOf(options.scheduledAt),
    line: options.line,
    retries: options.retries,
    retryDelaySeconds: options.retryDelaySeconds,
  };
}
