// The conversion thread's side of ConversionThread: it converts each request's documents to a fax, away from the
// server's event loop, and posts back the outcome; a failure goes as plain data, since postMessage keeps an error's
// message but not its class.
import { parentPort } from 'node:worker_threads';
import { DecodeError } from '@faxd/protocol/bits/decode-error';
import { DocumentError, type DocumentErrorReason, type DocumentLimitName } from '../render/document-error.js';
import { convertToFax, DocumentFailure, type FaxConversion, type FaxConversionOptions } from './fax-conversion.js';

export interface ConversionRequest {
  readonly id: number;
  readonly documents: readonly Uint8Array[];
  readonly options: FaxConversionOptions;
}

/**
 * A failed conversion as data. `kind` names the error classes callers tell apart (a DocumentError with its reason);
 * any other error arrives as an Error with the same message.
 */
export type ConversionFailure = {
  /** The document that failed, absent when the failure was not one document's. */
  readonly index?: number;
  readonly message: string;
  readonly stack?: string;
} & (
  | { readonly kind: 'DocumentError'; readonly reason: DocumentErrorReason; readonly limit?: DocumentLimitName }
  | { readonly kind: 'RangeError' | 'Error' }
);

export type ConversionReply =
  | { readonly id: number; readonly conversion: FaxConversion }
  | { readonly id: number; readonly failure: ConversionFailure };

function failureOf(error: unknown): ConversionFailure {
  const index = error instanceof DocumentFailure ? error.index : undefined;
  const cause = error instanceof DocumentFailure ? error.cause : error;
  if (!(cause instanceof Error)) return { index, kind: 'Error', message: String(cause) };
  const { message, stack } = cause;
  if (cause instanceof DocumentError) {
    return { index, kind: 'DocumentError', reason: cause.reason, limit: cause.limit, message, stack };
  }
  // Bytes the image decoders cannot read (a damaged TIFF) are as much the document's fault as an unreadable PDF.
  if (cause instanceof DecodeError) return { index, kind: 'DocumentError', reason: 'unreadable', message, stack };
  return { index, kind: cause instanceof RangeError ? 'RangeError' : 'Error', message, stack };
}

if (!parentPort) throw new Error('conversion-worker runs only as a worker thread');
const port = parentPort;
port.on('message', async ({ id, documents, options }: ConversionRequest) => {
  try {
    const conversion = await convertToFax(documents, options);
    // The TIFF writer puts each file in an ArrayBuffer of its own, which can move to the caller without a copy.
    const files = [conversion.fax, ...(conversion.covers ?? [])];
    port.postMessage(
      { id, conversion } satisfies ConversionReply,
      files.map((file) => file.buffer as ArrayBuffer),
    );
  } catch (error) {
    port.postMessage({ id, failure: failureOf(error) } satisfies ConversionReply);
  }
});
