// `fax jobs` (the queue as a table, like HylaFAX's faxstat -s; --json: FaxJob objects) and `fax job ID` (one job;
// --json: exactly its FaxJobStatus with jobId) (DESIGN.md §3).

import { parseArgs } from 'node:util';
import type { FaxJob } from '@faxd/client';
import {
  FAX_JOB_OPERATIONS_ENUM,
  FAX_JOB_TYPE_ENUM,
  type FaxPriorityTypeEnum,
  flagNamesOf,
  nameOf,
  priorityName,
} from '@faxd/contract';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { extendedText, pageText, statusText, timeText } from './job-text.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, singleId, withServer } from './server-connection.js';
import { type Column, formatTable } from './text-table.js';

export const JOBS_USAGE = `usage: fax jobs [--all] [--broadcast ID] [--json]
       fax job ID [--json]

fax jobs lists the jobs queued or in progress (--all: ended ones too; --broadcast: only that broadcast's), with
a BROADCAST column when one of them belongs to a broadcast; --json prints FaxJob objects.
fax job shows one job; --json prints its FaxJobStatus (jobId and the 17 IFaxJobStatus properties).
`;

/** The far end of a job: the number dialed, or the caller of a reception. */
function remoteOf(job: FaxJob): string {
  return (job.direction === 'outgoing' ? job.recipientNumber : job.status.tsid || job.status.callerId) || '-';
}

const COLUMNS: readonly Column<FaxJob>[] = [
  { header: 'JOB', cell: (job) => job.jobId },
  { header: 'DIR', cell: (job) => (job.direction === 'outgoing' ? 'out' : 'in') },
  {
    header: 'PRI',
    cell: (job) => (job.direction === 'outgoing' ? priorityName(job.priority as FaxPriorityTypeEnum) : '-'),
  },
  { header: 'STATUS', cell: (job) => statusText(job.status.status) },
  { header: 'DETAIL', cell: (job) => extendedText(job.status.extendedStatusCode, job.status.extendedStatus) || '-' },
  {
    header: 'PAGE',
    cell: (job) => (job.status.currentPage > 0 ? `${job.status.currentPage}/${job.status.pages}` : '-'),
  },
  { header: 'LINE', cell: (job) => job.status.deviceId ?? '-' },
  { header: 'TRIES', cell: (job) => job.status.retries },
  { header: 'NUMBER', cell: remoteOf },
  { header: 'SCHEDULED', cell: (job) => timeText(job.toJSON().scheduledTime) },
];

/** Shown only when a listed job is part of a broadcast, so that a queue without any keeps its narrower table. */
const BROADCAST_COLUMN: Column<FaxJob> = { header: 'BROADCAST', cell: (job) => job.broadcastId ?? '-' };

function columnsFor(jobs: readonly FaxJob[]): readonly Column<FaxJob>[] {
  return jobs.some((job) => job.broadcastId !== null) ? [...COLUMNS, BROADCAST_COLUMN] : COLUMNS;
}

function parseJobsArgs(args: string[]) {
  return parseCommandLine(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { ...SERVER_OPTIONS, all: { type: 'boolean' }, broadcast: { type: 'string' } },
    }),
  );
}

export async function jobsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseJobsArgs(args);
  if (values.help) return void process.stdout.write(`${JOBS_USAGE}${SERVER_OPTIONS_USAGE}`);
  if (positionals.length > 0)
    throw new UserError(`fax jobs takes no arguments; for one job: fax job ${positionals[0]}`);
  await withServer(values, async (server) => {
    const jobs = await server.getJobs({ all: values.all === true, broadcast: values.broadcast });
    if (values.json) printJson(jobs.map((job) => job.toJSON()));
    else if (jobs.length === 0) process.stdout.write(values.all ? 'no jobs\n' : 'no jobs queued or in progress\n');
    else process.stdout.write(formatTable(columnsFor(jobs), jobs));
  });
}

/** `fax job ID` for people: each field on its line, enumerations with their meaning beside the number. */
function describeJob(job: FaxJob): string {
  const s = job.status;
  const wire = job.toJSON();
  const operations = flagNamesOf(FAX_JOB_OPERATIONS_ENUM, s.availableOperations).map((name) => name.slice(3));
  const fields: [string, string | number][] = [
    ['job', job.jobId],
    ['direction', job.direction],
    ['status', `${s.status} (${statusText(s.status)})`],
    ['detail', `${s.extendedStatusCode} (${extendedText(s.extendedStatusCode, s.extendedStatus) || 'none'})`],
    ['type', `${s.jobType} (${nameOf(FAX_JOB_TYPE_ENUM, s.jobType) ?? '?'})`],
    ['page', pageText(s) || `${s.currentPage} of ${s.pages}`],
    ['size', `${s.size} bytes`],
    ['line', s.deviceId ?? '-'],
    ['retries', s.retries],
    ['operations', `${s.availableOperations} (${operations.join(', ') || 'none'})`],
    ['number', job.recipientNumber || '-'],
    ['recipient', job.recipientName || '-'],
    ['sender', job.senderName || '-'],
    ['document', job.documentName || '-'],
    ['broadcast', job.broadcastId ?? '-'],
    ['csid', s.csid || '-'],
    ['tsid', s.tsid || '-'],
    ['caller id', s.callerId || '-'],
    ['routing', s.routingInformation || '-'],
    ['submitted', timeText(wire.submissionTime)],
    ['scheduled', timeText(wire.scheduledTime)],
    ['started', timeText(wire.transmissionStart)],
    ['ended', timeText(wire.transmissionEnd)],
    ['last error', job.lastError || '-'],
  ];
  const width = Math.max(...fields.map(([name]) => name.length));
  return fields.map(([name, value]) => `${`${name}:`.padEnd(width + 2)}${value}\n`).join('');
}

export async function jobCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, allowPositionals: true, options: SERVER_OPTIONS }),
  );
  if (values.help) return void process.stdout.write(`${JOBS_USAGE}${SERVER_OPTIONS_USAGE}`);
  const jobId = singleId(positionals, 'job id', 'fax job ID');
  await withServer(values, async (server) => {
    const job = await server.getJob(jobId);
    if (values.json) printJson(job.status.toJSON());
    else process.stdout.write(describeJob(job));
  });
}
