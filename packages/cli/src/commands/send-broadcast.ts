// `fax send` to several recipients (issue 19): the list from --to and --recipients FILE.csv, queued as one broadcast,
// printed as its id and a job per recipient, and with --wait followed until every job has ended.

import { readFile } from 'node:fs/promises';
import {
  FAX_JOB_STATUS_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  FaxApiError,
  type FaxJob,
  type FaxJobStatus,
  type FaxServer,
  type SubmissionOptions,
  type SubmittedBroadcast,
} from '@faxd/client';
import { type BroadcastRecipient, baseJobStatus } from '@faxd/contract';
import { UserError } from '../user-error.js';
import { progressText } from './job-text.js';
import { waitForJobsEnd } from './job-wait.js';
import { parseRecipientsCsv } from './recipients-csv.js';
import { SendProgress } from './send-progress.js';
import { printJson } from './server-connection.js';
import { formatTable } from './text-table.js';

/** A recipient and where the user gave it (`--to 5550101`, `list.csv line 4`), for messages about it. */
export interface ListedRecipient extends BroadcastRecipient {
  readonly where: string;
}

/** The recipients of --to (in their order), then those of the CSV file (in file order). */
export async function listRecipients(to: readonly string[], csvPath: string | undefined): Promise<ListedRecipient[]> {
  const listed: ListedRecipient[] = to.map((number) => ({ number, where: `--to ${number}` }));
  if (csvPath === undefined) return listed;
  const text = await readFile(csvPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    error.path ??= csvPath;
    throw error;
  });
  const rows = parseRecipientsCsv(text, csvPath);
  if (rows.length === 0) throw new UserError(`${csvPath} lists no recipients`);
  return [...listed, ...rows.map(({ number, name, line }) => ({ number, name, where: `${csvPath} line ${line}` }))];
}

/** The entry index in a refusal's `recipients[i]` or `recipients[i].number` field. */
function entryIndex(field: unknown): number | undefined {
  const match = typeof field === 'string' ? /^recipients\[(\d+)\]/.exec(field) : null;
  return match ? Number(match[1]) : undefined;
}

/** A refusal that names entries of the list, told with where the user gave them; other errors unchanged. */
function locatedError(error: unknown, recipients: readonly ListedRecipient[]): unknown {
  if (!(error instanceof FaxApiError)) return error;
  const where = (field: unknown) => {
    const index = entryIndex(field);
    return index === undefined ? undefined : recipients[index]?.where;
  };
  const fields = error.details?.fields;
  if (error.code === 'FAX_ERR_DUPLICATE_RECIPIENT' && Array.isArray(fields)) {
    const places = fields.map(where);
    if (places.every((place) => place !== undefined)) {
      return new UserError(`${places.join(' and ')} are the same fax number: ${error.details?.number}`);
    }
  }
  const place = where(error.details?.field);
  return place === undefined ? error : new UserError(`${place}: ${error.message}`);
}

/** The broadcast's id, then a table of its jobs. */
function printBroadcast({ broadcastId, jobs }: SubmittedBroadcast): void {
  const table = formatTable<FaxJob>(
    [
      { header: 'JOB', cell: (job) => job.jobId },
      { header: 'NUMBER', cell: (job) => job.recipientNumber },
      { header: 'NAME', cell: (job) => job.recipientName || '-' },
    ],
    jobs,
  );
  process.stdout.write(`broadcast ${broadcastId}\n${table}`);
}

/** How many jobs to name in the message of a broadcast that did not all go out. */
const NAMED_FAILURES = 3;

/** Throws unless every job completed, naming the first few that did not. */
function checkAllSent(broadcastId: string, finals: readonly FaxJobStatus[]): void {
  const unsent = finals.filter((status) => baseJobStatus(status.status) !== FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
  if (unsent.length === 0) return;
  const named = unsent.slice(0, NAMED_FAILURES).map((status) => `job ${status.jobId}: ${progressText(status)}`);
  if (unsent.length > NAMED_FAILURES) named.push(`${unsent.length - NAMED_FAILURES} more`);
  const what = `${unsent.length} of ${finals.length} jobs of broadcast ${broadcastId} were not sent`;
  throw new UserError(`${what} (${named.join('; ')})`);
}

/**
 * Queues `submission` to `recipients` as one broadcast and prints it; with `wait`, follows every job to its end,
 * drawing the progress on stderr, and fails unless all of them completed.
 */
export async function sendBroadcast(
  server: FaxServer,
  submission: SubmissionOptions,
  recipients: readonly ListedRecipient[],
  options: { readonly wait: boolean; readonly json: boolean },
): Promise<void> {
  // Subscribed before submitting, so that none of the jobs' events can slip by.
  if (options.wait) await server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE);
  const broadcast = await server.submit({ ...submission, recipients }).catch((error: unknown) => {
    throw locatedError(error, recipients);
  });
  const { broadcastId, jobs } = broadcast;
  const jobIds = jobs.map((job) => job.jobId);
  if (!options.json) printBroadcast(broadcast);
  if (!options.wait) {
    if (options.json) printJson({ broadcastId, jobIds });
    return;
  }
  const progress = new SendProgress(process.stderr, jobIds);
  let finals: FaxJobStatus[];
  try {
    progress.updateAll(jobs.map((job) => job.status));
    const reread = async () => (await server.getJobs({ broadcast: broadcastId, all: true })).map((job) => job.status);
    finals = await waitForJobsEnd(server, jobIds, reread, (status) => progress.update(status, status.jobId));
  } finally {
    progress.finish();
  }
  if (options.json) printJson({ broadcastId, jobIds, jobs: finals.map((status) => status.toJSON()) });
  checkAllSent(broadcastId, finals);
}
