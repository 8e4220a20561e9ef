// Jobs in the store and as the API shows them: a row of `jobs` becomes a FaxJobStatus (reference §2.5) or a FaxJob.

import {
  availableOperations,
  FAX_JOB_TYPE_ENUM,
  type FaxJob,
  type FaxJobStatus,
  type FaxJobTypeEnum,
  type JobState,
} from '@faxd/contract';
import type { Selectable } from 'kysely';
import type { FaxdDb } from './database.js';
import type { JobTable } from './schema.js';

export type JobRow = Selectable<JobTable>;

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

export async function findJob(db: FaxdDb, jobId: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
}
