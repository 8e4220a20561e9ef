// DocumentError: an input document faxd cannot turn into fax pages; the message is meant for the user, the reason
// for the code that answers them (the API maps it to a FAX_ERR_* code, so no caller reads the message to decide).

/**
 * Why a document cannot be faxed: `empty` (no bytes), `unknown-format` (not PDF, TIFF, PNG, JPEG or text),
 * `unreadable` (a known format, but damaged or without pages), or `too-large` (it asks for more than one of the
 * document limits allows; `limit` says which).
 */
export type DocumentErrorReason = 'empty' | 'unknown-format' | 'unreadable' | 'too-large';

/** The document limits, by their key under `limits` in the configuration. */
export type DocumentLimitName =
  | 'pagesPerJob'
  | 'pixelsPerPage'
  | 'bytesPerPage'
  | 'bytesPerDocument'
  | 'conversionSeconds';

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly reason: DocumentErrorReason;
  /** The limit a `too-large` document went past. */
  readonly limit: DocumentLimitName | undefined;

  constructor(reason: DocumentErrorReason, message: string, limit?: DocumentLimitName) {
    super(message);
    this.reason = reason;
    this.limit = limit;
  }
}
