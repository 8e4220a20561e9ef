// Jobs in the store and as the API shows them: a row of `jobs` becomes a FaxJobStatus (reference §2.5) or a FaxJob.

import {
  availableOperations,
  broadcastCountsOf,
  FAX_JOB_TYPE_ENUM,
  type FaxBroadcast,
  type FaxJob,
  type FaxJobStatus,
  type FaxJobTypeEnum,
  initialJobState,
  type JobState,
} from '@faxd/contract';
import type { Selectable } from 'kysely';
import type { FaxdDb } from './database.js';
import type { JobTable } from './schema.js';

export type JobRow = Selectable<JobTable>;

/** The columns every new job names itself; the job state machine's columns come from its initial state. */
type NewJobIdentity = 'id' | 'direction' | 'submission_time';
type JobStateColumn = keyof ReturnType<typeof jobStateColumns>;

/** A new job: who it is, and whichever columns differ from the empty defaults. */
export type NewJob = Pick<JobRow, NewJobIdentity> & Partial<Omit<JobRow, NewJobIdentity | JobStateColumn>>;

/** What a job has before anything is known of it: no pages, no line, no names, no times beyond its submission. */
const EMPTY_JOB_COLUMNS = {
  pages: 0,
  size: 0,
  device_id: null,
  csid: '',
  tsid: '',
  caller_id: '',
  routing_information: '',
  recipient_number: '',
  recipient_name: '',
  sender_name: '',
  document_name: '',
  priority: 0,
  scheduled_time: null,
  transmission_start: null,
  transmission_end: null,
  requested_line: null,
  max_retries: 0,
  retry_delay_seconds: 0,
  expires_at: null,
  last_error: '',
  message_id: null,
  confirmed_pages: 0,
  broadcast_id: null,
  broadcast_index: null,
  notify: null,
  owner_id: null,
  claim_node: null,
  claim_epoch: 0,
} as const satisfies Omit<JobRow, NewJobIdentity | JobStateColumn>;

/**
 * The row of a job just submitted (outgoing: fjtSEND in fjsPENDING) or just answered (incoming: fjtRECEIVE in
 * fjsINPROGRESS), with the defaults for every column `job` leaves out.
 */
export function newJobRow(job: NewJob): JobRow {
  const jobType = job.direction === 'outgoing' ? FAX_JOB_TYPE_ENUM.fjtSEND : FAX_JOB_TYPE_ENUM.fjtRECEIVE;
  return { ...EMPTY_JOB_COLUMNS, ...jobStateColumns(initialJobState(jobType)), ...job };
}

export function jobStatusOf(row: JobRow): FaxJobStatus {
  const jobType = row.job_type as FaxJobTypeEnum;
  return {
    jobId: row.id,
    status: row.status,
    pages: row.pages,
    size: row.size,
    currentPage: row.current_page,
    deviceId: row.device_id,
    csid: row.csid,
    tsid: row.tsid,
    extendedStatusCode: row.extended_status,
    extendedStatus: '',
    availableOperations: availableOperations(row.status, jobType),
    retries: row.retries,
    jobType,
    scheduledTime: jobType === FAX_JOB_TYPE_ENUM.fjtSEND ? row.scheduled_time : null,
    transmissionStart: row.transmission_start,
    transmissionEnd: row.transmission_start === null ? null : row.transmission_end,
    callerId: row.caller_id,
    routingInformation: row.routing_information,
  };
}

export function faxJobOf(row: JobRow): FaxJob {
  return {
    ...jobStatusOf(row),
    direction: row.direction,
    recipientNumber: row.recipient_number,
    recipientName: row.recipient_name,
    senderName: row.sender_name,
    documentName: row.document_name,
    priority: row.priority,
    submissionTime: row.submission_time,
    lastError: row.last_error,
    messageId: row.message_id,
    broadcastId: row.broadcast_id,
  };
}

/** A broadcast as GET /v1/broadcasts/{id} shows it, from its jobs' rows in entry order (there is at least one). */
export function broadcastOf(rows: readonly JobRow[]): FaxBroadcast {
  const [first] = rows;
  return {
    broadcastId: first.broadcast_id ?? '',
    submittedTime: first.submission_time,
    recipients: rows.map((row) => ({
      jobId: row.id,
      number: row.recipient_number,
      name: row.recipient_name === '' ? null : row.recipient_name,
      status: row.status,
    })),
    counts: broadcastCountsOf(rows.map((row) => row.status)),
  };
}

export function jobStateOf(row: JobRow): JobState {
  return {
    jobType: row.job_type as FaxJobTypeEnum,
    status: row.status,
    extendedStatusCode: row.extended_status as JobState['extendedStatusCode'],
    retries: row.retries,
    currentPage: row.current_page,
  };
}

/** The columns a job state machine step writes. */
export function jobStateColumns(state: JobState) {
  return {
    job_type: state.jobType,
    status: state.status,
    extended_status: state.extendedStatusCode,
    retries: state.retries,
    current_page: state.currentPage,
  };
}

/** The jobs of broadcast `broadcastId`, in entry order; none when there is no such broadcast. */
export async function findBroadcastJobs(db: FaxdDb, broadcastId: string): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().where('broadcast_id', '=', broadcastId).orderBy('broadcast_index').execute();
}

export async function findJob(db: FaxdDb, jobId: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
}
