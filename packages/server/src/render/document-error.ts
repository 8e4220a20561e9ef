// DocumentError: an input document faxd cannot turn into fax pages; the message is meant for the user, the reason
// for the code that answers them (the API maps it to a FAX_ERR_* code, so no caller reads the message to decide).

/**
 * Why a document cannot be faxed: `empty` (no bytes), `unknown-format` (not PDF, TIFF, PNG, JPEG or text), or
 * `unreadable` (a known format, but damaged or without pages).
 */
export type DocumentErrorReason = 'empty' | 'unknown-format' | 'unreadable';

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly reason: DocumentErrorReason;

  constructor(reason: DocumentErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
