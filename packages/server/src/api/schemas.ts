// JSON Schemas of the API's bodies and parameters (those of ports in port-schemas.ts, of jobs and broadcasts in
// job-schemas.ts, built from the shared pieces here): Fastify validates requests against them and @fastify/swagger
// publishes them in /openapi.json. They mirror the types of @faxd/contract. Nothing is coerced (request-validation.ts):
// path parameters and query strings are strings, so their numbers and flags are strings with a pattern.

import { ACCESS_RIGHT_NAMES, FAX_AUDIT_ACTIONS, JOB_OPERATIONS } from '@faxd/contract';

export const nullable = (type: string) => ({ type: [type, 'null'] });
export const time = { type: 'string', format: 'date-time' };
export const nullableTime = { type: ['string', 'null'], format: 'date-time' };

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
export const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };

/**
 * A document's name as a client shows it (`fax send` sends the file's base name): not a path (no `/` or `\\`, not
 * `.` or `..`) and no control characters, so a name that tries to climb out of a job's directory is refused outright
 * rather than quietly rewritten.
 */
export const documentName = {
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
