// JSON Schemas of the API's bodies and parameters: Fastify validates requests against them and @fastify/swagger
// publishes them in /openapi.json. They mirror the types of @faxd/contract. Nothing is coerced (request-validation.ts):
// path parameters and query strings are strings, so their numbers and flags are strings with a pattern.

import {
  ACCESS_RIGHT_NAMES,
  FAX_AUDIT_ACTIONS,
  FAX_CALL_MEDIA,
  FAX_MODEM_NAMES,
  FAX_STATUS_FIELDS,
  FAX_STATUS_PROPERTIES,
  type FaxStatusProperty,
  type FaxStatusValidity,
  type FieldKind,
  JOB_OPERATIONS,
} from '@faxd/contract';
import { SCHEDULE_TIME_FORMAT } from './request-validation.js';

const nullable = (type: string) => ({ type: [type, 'null'] });
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };

export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true, description: 'e.g. `field`, the refused field' },
      },
    },
  },
};

export const deviceIdParams = {
  type: 'object',
  required: ['deviceId'],
  properties: {
    deviceId: { type: 'string', pattern: '^[1-9][0-9]{0,9}$', description: "The port's device id, a decimal number" },
  },
};

/** A job's or an archived fax's id: letters, digits, `-` and `_`, so an id never reaches a file name as a path. */
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };

/**
 * A document's name as a client shows it (`fax send` sends the file's base name): not a path (no `/` or `\\`, not
 * `.` or `..`) and no control characters, so a name that tries to climb out of a job's directory is refused outright
 * rather than quietly rewritten.
 */
const documentName = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!\\.\\.?$)[^/\\\\\\u0000-\\u001f\\u007f]+$',
};

export const idParams = { type: 'object', required: ['id'], properties: { id } };

export const jobParams = {
  type: 'object',
  required: ['jobId', 'operation'],
  properties: { jobId: id, operation: { type: 'string', enum: [...JOB_OPERATIONS] } },
};

export const faxPortInfo = {
  type: 'object',
  properties: {
    deviceId: { type: 'integer' },
    name: { type: 'string' },
    send: { type: 'boolean' },
    receive: { type: 'boolean' },
    rings: { type: 'integer' },
    priority: { type: 'integer' },
    tsid: { type: 'string' },
    csid: { type: 'string' },
    canModify: { type: 'boolean' },
    kind: { type: 'string' },
    call: {
      type: ['object', 'null'],
      description: 'The call the port carries now: its media and, from the DCS on, modem, rate and ECM; null when idle',
      additionalProperties: false,
      required: ['media', 'modem', 'bitRate', 'ecm'],
      properties: {
        media: { type: 'string', enum: [...FAX_CALL_MEDIA] },
        modem: { type: ['string', 'null'], enum: [...FAX_MODEM_NAMES, null] },
        bitRate: nullable('integer'),
        ecm: nullable('boolean'),
      },
    },
    nodeId: { type: 'string' },
  },
};

/** The JSON Schema of each contract field kind. */
const KIND_SCHEMAS: Readonly<Record<FieldKind, { readonly type: string; readonly format?: string }>> = {
  string: { type: 'string' },
  count: { type: 'integer' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  time,
  object: { type: 'object' },
};

const VALIDITY_NOTES: Readonly<Record<Exclude<FaxStatusValidity, 'always'>, string>> = {
  sending: 'Valid while the port is sending; null otherwise.',
  receiving: 'Valid while the port is receiving; null otherwise.',
  job: 'Valid while the port is sending or receiving; null when idle.',
};

/** A FaxStatus property's schema from the contract's table: its type, and null with a note unless always valid. */
function faxStatusProperty(name: FaxStatusProperty): object {
  const { kind, validity } = FAX_STATUS_FIELDS[name];
  const schema = KIND_SCHEMAS[kind];
  if (validity === 'always') return schema;
  return { ...schema, type: [schema.type, 'null'], description: VALIDITY_NOTES[validity] };
}

export const faxStatus = {
  type: 'object',
  description: 'IFaxStatus: the 19 read-only properties of one port; null where not valid in its present activity.',
  properties: Object.fromEntries(FAX_STATUS_PROPERTIES.map((name) => [name, faxStatusProperty(name)])),
};

const JOB_FIELDS: Readonly<Record<string, object>> = {
  jobId: { type: 'string' },
  status: { type: 'integer', description: 'FAX_JOB_STATUS_ENUM bits' },
  pages: { type: 'integer' },
  size: { type: 'integer' },
  currentPage: { type: 'integer' },
  deviceId: nullable('integer'),
  csid: { type: 'string' },
  tsid: { type: 'string' },
  extendedStatusCode: { type: 'integer', description: 'FAX_JOB_EXTENDED_STATUS_ENUM' },
  extendedStatus: { type: 'string' },
  availableOperations: { type: 'integer', description: 'FAX_JOB_OPERATIONS_ENUM bits' },
  retries: { type: 'integer' },
  jobType: { type: 'integer', description: 'FAX_JOB_TYPE_ENUM' },
  scheduledTime: nullableTime,
  transmissionStart: nullableTime,
  transmissionEnd: nullableTime,
  callerId: { type: 'string' },
  routingInformation: { type: 'string' },
  direction: { type: 'string', enum: ['outgoing', 'incoming'] },
  recipientNumber: { type: 'string' },
  recipientName: { type: 'string' },
  senderName: { type: 'string' },
  documentName: { type: 'string' },
  priority: { type: 'integer', description: 'FAX_PRIORITY_TYPE_ENUM' },
  submissionTime: time,
  lastError: { type: 'string' },
  messageId: nullable('string'),
  broadcastId: { ...nullable('string'), description: 'The broadcast the job is one recipient of' },
};

export const faxJob = {
  type: 'object',
  description: 'A job: its FaxJobStatus and what was submitted.',
  properties: JOB_FIELDS,
};

/**
 * One entry of a broadcast's list. Its number is only typed here: a malformed one is refused by the service with
 * FAX_ERR_BAD_NUMBER naming the entry (`recipients[3].number`), as a malformed `to` is.
 */
const broadcastRecipient = {
  type: 'object',
  required: ['number'],
  additionalProperties: false,
  properties: { number: { type: 'string' }, name: { type: 'string', maxLength: 255 } },
};

/** A cover page ahead of the documents (FaxDocument.CoverPage, Subject, Note). */
const coverPage = {
  type: 'object',
  additionalProperties: false,
  description:
    'A cover page ahead of the documents, drawn for each job with its recipient, the sender, the date and the page ' +
    'count (the cover included, as in pages); a broadcast draws one per job',
  properties: {
    template: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      description:
        'A template of the coverPages.folder, by its file name without .txt; absent or "default": the folder’s ' +
        'default.txt, else the built-in page. An unknown name: 422 FAX_ERR_COVER_PAGE_NOT_FOUND',
    },
    subject: { type: 'string', maxLength: 255 },
    note: { type: 'string', maxLength: 4000, description: 'Line breaks are kept; the page must hold it (else 400)' },
  },
};

export const submitJobBody = {
  type: 'object',
  required: ['documents'],
  additionalProperties: false,
  description: 'Exactly one of `to` (a fax to one number) and `recipients` (a broadcast, one job per entry).',
  properties: {
    to: { type: 'string', minLength: 1, maxLength: 64 },
    recipients: {
      type: 'array',
      items: broadcastRecipient,
      description:
        'A broadcast: one job per entry, in order, the documents converted once (at most limits.recipientsPerSubmission ' +
        'entries; no two with the same number; each entry its own name, so no recipientName)',
    },
    documents: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['name', 'contentBase64'],
        additionalProperties: false,
        properties: { name: documentName, contentBase64: { type: 'string' } },
      },
    },
    recipientName: { type: 'string', maxLength: 255 },
    senderName: { type: 'string', maxLength: 255 },
    senderCompany: { type: 'string', maxLength: 255, description: 'For the cover page (default: coverPages.sender)' },
    senderFaxNumber: { type: 'string', maxLength: 64, description: 'For the cover page (default: coverPages.sender)' },
    senderVoiceNumber: {
      type: 'string',
      maxLength: 64,
      description: 'For the cover page (default: coverPages.sender)',
    },
    coverPage: coverPage,
    notify: {
      type: 'string',
      pattern: '^[^\\s@<>(),;:"]+@[A-Za-z0-9.-]+$',
      maxLength: 254,
      description: 'An e-mail address the delivery report is mailed to when the job ends (issue 15)',
    },
    priority: { type: 'string', enum: ['low', 'normal', 'high'] },
    scheduledAt: {
      type: 'string',
      maxLength: 64,
      format: SCHEDULE_TIME_FORMAT,
      description:
        'When to send: an ISO 8601 date and time on the calendar (without an offset, the server’s local time), or ' +
        '"discount" for the next discount-rate window',
    },
    line: { type: 'integer', minimum: 1 },
    retries: { type: 'integer', minimum: 0, maximum: 100 },
    retryDelaySeconds: { type: 'integer', minimum: 0, maximum: 604800 },
  },
};

export const jobsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    direction: { type: 'string', enum: ['outgoing', 'incoming'] },
    all: { type: 'string', enum: ['true', 'false'], description: 'true: ended jobs too' },
    broadcast: { ...id, description: 'Only the jobs of this broadcast' },
  },
};

/** The answer to a broadcast's submission. `required`, so that a FaxJob never passes for one. */
export const submittedBroadcast = {
  type: 'object',
  required: ['broadcastId', 'jobIds'],
  properties: {
    broadcastId: { type: 'string' },
    jobIds: { type: 'array', items: { type: 'string' }, description: 'One job per recipient, in recipient order' },
  },
};

export const faxBroadcast = {
  type: 'object',
  description: "A broadcast: each recipient's job and status, and how many jobs stand where.",
  properties: {
    broadcastId: { type: 'string' },
    submittedTime: time,
    recipients: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          jobId: { type: 'string' },
          number: { type: 'string' },
          name: nullable('string'),
          status: { type: 'integer', description: "The job's FAX_JOB_STATUS_ENUM bits" },
        },
      },
    },
    counts: {
      type: 'object',
      description: 'queued: not started, paused or waiting to retry; failed: retries exceeded too',
      properties: Object.fromEntries(
        ['queued', 'inProgress', 'completed', 'failed', 'canceled'].map((name) => [name, { type: 'integer' }]),
      ),
    },
  },
};

export const queueState = {
  type: 'object',
  additionalProperties: false,
  properties: {
    outgoingQueueBlocked: { type: 'boolean' },
    outgoingQueuePaused: { type: 'boolean' },
    incomingQueueBlocked: { type: 'boolean' },
  },
};

export const inboxMessage = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    jobId: { type: 'string' },
    deviceId: { type: 'integer' },
    tsid: { type: 'string' },
    csid: { type: 'string' },
    callerId: { type: 'string' },
    routingInformation: { type: 'string' },
    pages: { type: 'integer' },
    size: { type: 'integer' },
    receivedAt: time,
    transmissionStart: time,
    transmissionEnd: time,
    badRows: { type: 'integer' },
    partial: { type: 'boolean' },
  },
};

export const outboxMessage = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    jobId: { type: 'string' },
    deviceId: nullable('integer'),
    recipientNumber: { type: 'string' },
    recipientName: { type: 'string' },
    senderName: { type: 'string' },
    documentName: { type: 'string' },
    csid: { type: 'string' },
    tsid: { type: 'string' },
    pages: { type: 'integer' },
    size: { type: 'integer' },
    retries: { type: 'integer' },
    status: { type: 'integer' },
    submissionTime: time,
    transmissionStart: nullableTime,
    transmissionEnd: nullableTime,
  },
};

export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mask: {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,2}|10[01][0-9]|102[0-3])$',
      description: 'FAX_SERVER_EVENTS_TYPE_ENUM bits in decimal, 0 to 1023 (default: all)',
    },
  },
};

/** The SSE reconnection header: the `id:` of the last message the client saw, a sequence number. */
export const eventsHeaders = {
  type: 'object',
  properties: {
    'last-event-id': {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,14})$',
      description: 'Replay the events after this sequence number',
    },
  },
};

/** One page of a job's fax: its id and the page number, 1-based (`/v1/jobs/{id}/pages/{page}.png`). */
export const jobPageParams = {
  type: 'object',
  required: ['id', 'page'],
  properties: { id, page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'The page, from 1' } },
};

/** A binary file the route answers with (its media type in the summary); errors are JSON. */
export const binaryFile = { type: 'string', format: 'binary' };

/** GET /v1/me. */
export const faxCaller = {
  type: 'object',
  required: ['name', 'rights', 'grantedRights'],
  properties: {
    name: { type: 'string' },
    rights: { type: 'array', items: { type: 'string', enum: [...ACCESS_RIGHT_NAMES] } },
    grantedRights: { type: 'integer', description: 'FAX_ACCESS_RIGHTS_ENUM_2 bits' },
  },
};

/** GET /v1/audit's filters. */
export const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: { ...time, description: 'Only acts at or after this time' },
    user: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@ -]{0,63}$', description: 'Only this actor’s acts' },
    action: { type: 'string', enum: [...FAX_AUDIT_ACTIONS] },
    limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$', description: 'At most this many, 1 to 1000' },
  },
};

/** One act of GET /v1/audit. */
export const auditEntry = {
  type: 'object',
  required: ['seq', 'time', 'user', 'action', 'object', 'address'],
  properties: {
    seq: { type: 'integer' },
    time,
    user: { type: 'string' },
    action: { type: 'string', enum: [...FAX_AUDIT_ACTIONS] },
    object: { type: 'string' },
    address: nullable('string'),
  },
};
