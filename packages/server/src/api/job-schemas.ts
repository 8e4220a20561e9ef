// JSON Schemas of jobs and broadcasts: a job's FaxJobStatus, a submission (one recipient or a broadcast, with its
// cover page) and the answers to it.

import { SCHEDULE_TIME_FORMAT } from './request-validation.js';
import { documentName, id, nullable, nullableTime, time } from './schemas.js';

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
