// The FAX_ERR_* catalog: the stable error codes of the faxd API, each with its HTTP status and message template, the
// JSON error body, and FaxApiError, which the SDK throws and the server answers with.

import { isJsonObject } from './json-shape.js';

/**
 * Every code, its HTTP status and its English message. `{name}` marks a parameter the caller fills in; the text after
 * a code must make sense to someone who sees only `fax: <message>`.
 */
export const FAX_ERRORS = {
  FAX_ERR_BAD_REQUEST: { status: 400, message: 'Bad request: {reason}' },
  FAX_ERR_DOCUMENT_MISSING: { status: 400, message: 'The request has no document to send' },
  FAX_ERR_UNAUTHORIZED: { status: 401, message: 'Authentication required: {reason}' },
  /** The caller lacks the right (FAX_ACCESS_RIGHTS_ENUM_2) a route or a priority needs; details: `right`. */
  FAX_ERR_ACCESS_DENIED: { status: 403, message: 'Access denied: {reason}' },
  FAX_ERR_NOT_FOUND: { status: 404, message: 'No such resource: {method} {path}' },
  FAX_ERR_PORT_NOT_FOUND: { status: 404, message: 'No port with device id {deviceId}' },
  FAX_ERR_JOB_NOT_FOUND: { status: 404, message: 'No job with id {jobId}' },
  FAX_ERR_MESSAGE_NOT_FOUND: { status: 404, message: 'No fax with id {messageId} in the archive' },
  FAX_ERR_BROADCAST_NOT_FOUND: { status: 404, message: 'No broadcast with id {broadcastId}' },
  FAX_ERR_METHOD_NOT_ALLOWED: { status: 405, message: '{method} is not allowed on {path}' },
  FAX_ERR_OPERATION_NOT_ALLOWED: { status: 409, message: 'Cannot {operation} job {jobId}: {reason}' },
  FAX_ERR_PORT_CANNOT_SEND: { status: 409, message: 'Port {deviceId} is not enabled for sending' },
  FAX_ERR_PORT_NOT_MODIFIABLE: { status: 409, message: 'Port {deviceId} cannot be changed' },
  FAX_ERR_DOCUMENT_TOO_LARGE: { status: 413, message: 'Document {name} is larger than the limit of {limit}' },
  /** A request body past `limits.requestBytes` (the limit in bytes), refused before it is read further. */
  FAX_ERR_REQUEST_TOO_LARGE: { status: 413, message: 'The request body is larger than the limit of {limit} bytes' },
  /** details: `field` ('recipients'), `limit`, `count`. */
  FAX_ERR_TOO_MANY_RECIPIENTS: { status: 413, message: 'The submission has more than {limit} recipients' },
  FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED: {
    status: 415,
    message: 'Document {name} is not a supported type (PDF, TIFF, PNG, JPEG or plain text)',
  },
  FAX_ERR_DOCUMENT_UNREADABLE: { status: 422, message: 'Document {name} cannot be read: {reason}' },
  FAX_ERR_BAD_NUMBER: { status: 422, message: 'Not a fax number that can be dialed: {number}' },
  /** details: `field` (the later entry, e.g. 'recipients[4]'), `fields` (both entries), `number`. */
  FAX_ERR_DUPLICATE_RECIPIENT: { status: 422, message: '{first} and {second} are the same fax number: {number}' },
  /** details: `field` ('coverPage.template'), `template`. */
  FAX_ERR_COVER_PAGE_NOT_FOUND: { status: 422, message: 'No cover page template named {template}' },
  FAX_ERR_BAD_CONFIG: { status: 422, message: 'Invalid configuration at {key}: {reason}' },
  /** One key's requests came faster than `limits.requestsPerSecond`; sent with Retry-After giving the same seconds. */
  FAX_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests with this key: try again in {seconds} s' },
  FAX_ERR_INTERNAL: { status: 500, message: 'Internal server error: {reason}' },
  FAX_ERR_BAD_RESPONSE: { status: 502, message: 'The server answered {status} without a faxd error body' },
  FAX_ERR_QUEUE_BLOCKED: { status: 503, message: 'The outgoing queue is blocked: no new faxes are accepted' },
  FAX_ERR_SHUTTING_DOWN: { status: 503, message: 'The server is shutting down' },
  /** Sent with a Retry-After header giving the same seconds. */
  FAX_ERR_INSUFFICIENT_STORAGE: { status: 507, message: 'Not enough storage to accept the fax: {reason}' },
  FAX_ERR_SERVER_BUSY: { status: 503, message: 'The server is busy converting documents: try again in {seconds} s' },
} as const satisfies Readonly<Record<`FAX_ERR_${string}`, { readonly status: number; readonly message: string }>>;

export type FaxErrorCode = keyof typeof FAX_ERRORS;

/** The parameter names in a message template: `'No job with id {jobId}'` → `'jobId'`. */
export type TemplateParameters<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | TemplateParameters<Rest>
  : never;

/** The values a code's message needs, by parameter name. */
export type FaxErrorParameters<C extends FaxErrorCode> = Readonly<
  Record<TemplateParameters<(typeof FAX_ERRORS)[C]['message']>, string | number>
>;

/** Every code, in catalog order. */
export const FAX_ERROR_CODES = Object.keys(FAX_ERRORS) as readonly FaxErrorCode[];

/** The body of every error response: `{"error": {"code", "message", "details"?}}`. */
export interface FaxErrorBody {
  readonly error: {
    readonly code: FaxErrorCode;
    readonly message: string;
    /** Machine-readable extras, e.g. the field that failed validation. */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export function isFaxErrorCode(value: unknown): value is FaxErrorCode {
  return typeof value === 'string' && Object.hasOwn(FAX_ERRORS, value);
}

/** The HTTP status the API answers `code` with. */
export function httpStatusOf(code: FaxErrorCode): number {
  return FAX_ERRORS[code].status;
}

/** The message of `code` with its parameters filled in. A missing parameter is a programming error and throws. */
export function faxErrorMessage<C extends FaxErrorCode>(code: C, parameters: FaxErrorParameters<C>): string {
  const values = parameters as Readonly<Record<string, string | number>>;
  return FAX_ERRORS[code].message.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`${code} needs the parameter ${name}`);
    return String(values[name]);
  });
}

/** An API error as a value the SDK throws: a catalog code, its HTTP status, the message, optional details. */
export class FaxApiError extends Error {
  override readonly name = 'FaxApiError';
  readonly code: FaxErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: FaxErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.code = code;
    this.status = httpStatusOf(code);
    this.details = details;
  }

  /** The error for `code` with its message template filled in. */
  static of<C extends FaxErrorCode>(
    code: C,
    parameters: FaxErrorParameters<C>,
    details?: Readonly<Record<string, unknown>>,
  ): FaxApiError {
    return new FaxApiError(code, faxErrorMessage(code, parameters), details);
  }

  /**
   * The error an HTTP response stands for. A body that is not a faxd error body (a proxy's page, a code this SDK does
   * not know) becomes FAX_ERR_BAD_RESPONSE, keeping what arrived in `details`.
   */
  static fromResponse(status: number, body: unknown): FaxApiError {
    const error = isJsonObject(body) ? body.error : undefined;
    if (isJsonObject(error) && isFaxErrorCode(error.code) && typeof error.message === 'string') {
      return new FaxApiError(error.code, error.message, isJsonObject(error.details) ? error.details : undefined);
    }
    return FaxApiError.of('FAX_ERR_BAD_RESPONSE', { status }, { status, body });
  }

  /** The response body for this error. */
  toBody(): FaxErrorBody {
    const error = { code: this.code, message: this.message };
    return { error: this.details === undefined ? error : { ...error, details: this.details } };
  }
}
