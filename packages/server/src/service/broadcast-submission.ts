// POST /v1/jobs with `recipients` (issue 19, FaxDocument.Recipients with ConnectedSubmit): the list checked whole
// before anything is written, the documents rendered and stored once for the broadcast, and one outbound job per
// entry, in entry order, recorded in one transaction. Each job then lives exactly as a job submitted alone. And the
// choice between that and a fax to one number (`to`, job-submission.ts), which a submission makes.

import {
  type BroadcastRecipient,
  dialedNumber,
  FaxApiError,
  type FaxJob,
  type SubmitBroadcastRequest,
  type SubmitJobRequest,
  type SubmittedBroadcast,
} from '@faxd/contract';
import { faxJobOf, type JobRow } from '../store/job-rows.js';
import { newId } from './data-files.js';
import { reportFaultToStderr } from './fault-report.js';
import type { JobBook } from './job-book.js';
import {
  badRequest,
  checkNumber,
  prepareDocuments,
  prepareSubmission,
  recordSubmission,
  removeSubmittedFiles,
  type SubmissionContext,
  storageApiError,
  storeCovers,
  submittedJobRow,
} from './job-submission.js';

/**
 * Whether `request` is a broadcast (`recipients`) rather than a fax to one number (`to`). The API's schema types each
 * field; which of the two a request has, and that a broadcast carries no `recipientName`, is checked here.
 */
function isBroadcast(request: SubmitJobRequest): request is SubmitBroadcastRequest {
  const hasTo = request.to !== undefined;
  const hasRecipients = request.recipients !== undefined;
  if (hasTo && hasRecipients)
    throw badRequest('give either to (one number) or recipients (a list), not both', 'recipients');
  if (!hasTo && !hasRecipients)
    throw badRequest("the submission must have required property 'to' (one number) or 'recipients' (a list)", 'to');
  if (hasRecipients && request.recipientName !== undefined) {
    throw badRequest('recipientName is not taken with recipients: each entry carries its own name', 'recipientName');
  }
  return hasRecipients;
}

/**
 * Refuses a list that is empty, longer than `limit`, with a number that cannot be dialed, or with two entries that
 * dial the same number. A duplicate is refused rather than merged: it is a mistake in the list (two lists merged),
 * dialing a number twice costs money, and refusing keeps "one job per entry, jobIds in entry order" true.
 */
export function checkRecipients(recipients: readonly BroadcastRecipient[], limit: number): void {
  if (recipients.length === 0) throw badRequest('recipients is empty: list at least one', 'recipients');
  if (recipients.length > limit) {
    const details = { field: 'recipients', limit, count: recipients.length };
    throw FaxApiError.of('FAX_ERR_TOO_MANY_RECIPIENTS', { limit }, details);
  }
  const seen = new Map<string, number>();
  for (const [i, { number }] of recipients.entries()) {
    checkNumber(number, `recipients[${i}].number`);
    const dialed = dialedNumber(number);
    const first = seen.get(dialed);
    if (first !== undefined) {
      const fields = [`recipients[${first}]`, `recipients[${i}]`];
      const parameters = { first: fields[0], second: fields[1], number: dialed };
      throw FaxApiError.of('FAX_ERR_DUPLICATE_RECIPIENT', parameters, { field: fields[1], fields, number: dialed });
    }
    seen.set(dialed, i);
  }
}

/** Checks, renders and stores a broadcast; its id and the rows of its jobs to create, in fjsPENDING. */
export async function prepareBroadcast(
  request: SubmitBroadcastRequest,
  context: SubmissionContext,
): Promise<{ broadcastId: string; rows: JobRow[] }> {
  checkRecipients(request.recipients, context.config.limits.recipientsPerSubmission);
  const broadcastId = newId();
  const { files } = context;
  const where = { directory: files.broadcastDirectory(broadcastId), fax: files.broadcastFax(broadcastId) };
  const recipients = request.recipients.map(({ number, name }) => ({ number, name: name ?? '' }));
  const prepared = await prepareDocuments(request, recipients, where, context);
  // Each job's cover names its own recipient; the documents' fax stays the broadcast's one copy.
  const jobs = recipients.map((recipient, i) => ({
    id: newId(),
    ...recipient,
    broadcast_id: broadcastId,
    broadcast_index: i,
    cover: prepared.covers[i],
  }));
  await storeCovers(jobs, where.directory, files);
  return { broadcastId, rows: jobs.map((job) => submittedJobRow(request, prepared, job, context)) };
}

/** Records a broadcast's jobs, all or none; rows the store refuses take the broadcast's files with them. */
export async function recordBroadcast(
  broadcastId: string,
  rows: readonly JobRow[],
  book: JobBook,
  context: SubmissionContext,
): Promise<SubmittedBroadcast> {
  try {
    await book.createAll(rows);
  } catch (error) {
    reportFaultToStderr(`broadcast ${broadcastId} was not recorded`, error);
    await removeSubmittedFiles(context.files.broadcastDirectory(broadcastId), `refused broadcast ${broadcastId}`);
    // Their cover pages, if they had any.
    for (const row of rows) await removeSubmittedFiles(context.files.jobDirectory(row.id), `refused job ${row.id}`);
    throw storageApiError("the broadcast's jobs could not be recorded", error);
  }
  return { broadcastId, jobIds: rows.map((row) => row.id) };
}

/**
 * A fax to one number (`to`): its job; a broadcast (`recipients`): its id and its jobs' ids in entry order; prepared
 * and recorded, owned by `ownerId`, the submitter: what they alone see and manage without the rights over everyone's.
 */
export async function recordRequest(
  request: SubmitJobRequest,
  ownerId: number | null,
  book: JobBook,
  context: SubmissionContext,
): Promise<FaxJob | SubmittedBroadcast> {
  const owner = { owner_id: ownerId };
  if (isBroadcast(request)) {
    const { broadcastId, rows } = await prepareBroadcast(request, context);
    return recordBroadcast(
      broadcastId,
      rows.map((row) => ({ ...row, ...owner })),
      book,
      context,
    );
  }
  const row = { ...(await prepareSubmission(request, context)), ...owner };
  await recordSubmission(row, book, context.files);
  return faxJobOf(row);
}
