// `fax send FILE... --to NUMBER`: queues a fax on the faxd server and prints its job id; with --wait, follows it to
// its end and exits 0 only if it completed (DESIGN.md §3). To several recipients, a broadcast (send-broadcast.ts).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FAX_JOB_STATUS_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  type FaxDocumentInput,
  type FaxJobStatus,
  type FaxServer,
  type SubmissionOptions,
  type SubmitOptions,
} from '@faxd/client';
import {
  baseJobStatus,
  type CoverPageRequest,
  FAX_PRIORITY_BY_NAME,
  type FaxPriorityName,
  isCalendarDateTime,
} from '@faxd/contract';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { progressText } from './job-text.js';
import { waitForJobEnd } from './job-wait.js';
import { listRecipients, sendBroadcast } from './send-broadcast.js';
import { MAX_JOB_LINES, SendProgress } from './send-progress.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, withServer } from './server-connection.js';

export const SEND_USAGE = `usage: fax send FILE... --to NUMBER [--line ID] [--recipient NAME] [--sender NAME]
                [--priority low|normal|high] [--at ISO-TIME|discount] [--notify ADDRESS] [--wait] [--json]
                [--cover[=TEMPLATE]] [--subject TEXT] [--note TEXT]
       fax send FILE... --to NUMBER --to NUMBER... [--recipients FILE.csv] [options as above but --recipient]

Queues the files (PDF, TIFF, PNG, JPEG, text) as one fax and prints its job id. --wait shows the progress
(page n of m) and exits 0 when the fax was sent, 1 when it failed or was canceled. --json prints
{"jobId":"..."} (with --wait, the final FaxJobStatus too). --notify has the server mail a delivery report
to ADDRESS when the fax (each fax of a broadcast) is sent or has failed.

--cover puts a cover page ahead of the files: the server's default one, or with --cover=TEMPLATE one of its
templates by name. It names the recipient, the sender, the date and the pages (the cover counted), with
--subject and --note (\\n in a note starts a new line; either asks for the default cover page by itself).

To several recipients (--to again, or --recipients: a CSV file of number,name rows, a header row allowed),
it queues a broadcast, a job per recipient, and prints the broadcast id and a line per job; --json prints
{"broadcastId","jobIds"} (with --wait, also "jobs": each job's final FaxJobStatus). --wait shows a line per job
(one summary line beyond ${MAX_JOB_LINES}) and exits 0 only when every job was sent.
`;

const PRIORITIES = Object.keys(FAX_PRIORITY_BY_NAME) as FaxPriorityName[];

function parsePriority(value: string | undefined): FaxPriorityName | undefined {
  if (value === undefined || (PRIORITIES as string[]).includes(value)) return value as FaxPriorityName | undefined;
  throw new UserError(`--priority must be one of ${PRIORITIES.join(', ')} (got "${value}")`);
}

function parseLine(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const line = Number(value);
  if (!/^\d+$/.test(value) || line < 1) throw new UserError(`--line must be a port's device id (got "${value}")`);
  return line;
}

/** --at: an ISO 8601 time (a date and a time of day; without an offset, local time) or `discount`. */
function parseAt(value: string | undefined): Date | 'discount' | undefined {
  if (value === undefined || value === 'discount') return value;
  // The server's own check: a day past its month's end would otherwise roll over into the next month.
  if (!isCalendarDateTime(value)) {
    throw new UserError(`--at must be an ISO 8601 time such as 2025-01-31T18:00:00Z, or discount (got "${value}")`);
  }
  return new Date(value);
}

/**
 * --cover=TEMPLATE as the option parser takes it. The template goes after `=` only, as with git's --color[=WHEN]:
 * `--cover memo.pdf` keeps memo.pdf a file to send, never the name of a template.
 */
function coverArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) =>
    arg.startsWith('--cover=') ? ['--cover-template', arg.slice('--cover='.length)] : [arg],
  );
}

/** The cover page the options ask for: --cover, --cover=TEMPLATE, or only a --subject or --note. */
function parseCover(values: {
  cover?: boolean;
  'cover-template'?: string;
  subject?: string;
  note?: string;
}): CoverPageRequest | undefined {
  const template = values['cover-template'];
  if (template === '') throw new UserError('--cover=TEMPLATE needs a template name after the =');
  const asked = values.cover || [template, values.subject, values.note].some((value) => value !== undefined);
  if (!asked) return undefined;
  // A note typed on the command line says \n where it wants a new line.
  const note = values.note?.replace(/\\n/g, '\n');
  return { template, subject: values.subject, note };
}

function parseSendArgs(args: string[]) {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({
      args: coverArgs(args),
      allowPositionals: true,
      options: {
        ...SERVER_OPTIONS,
        to: { type: 'string', multiple: true },
        recipients: { type: 'string' },
        line: { type: 'string' },
        recipient: { type: 'string' },
        sender: { type: 'string' },
        priority: { type: 'string' },
        at: { type: 'string' },
        notify: { type: 'string' },
        cover: { type: 'boolean' },
        'cover-template': { type: 'string' },
        subject: { type: 'string' },
        note: { type: 'string' },
        wait: { type: 'boolean' },
      },
    }),
  );
  if (values.help) return undefined;
  if (positionals.length === 0) throw new UserError('no files to send (usage: fax send FILE... --to NUMBER)');
  if (!values.to && values.recipients === undefined) {
    throw new UserError('no fax number: give --to NUMBER (or --recipients FILE.csv)');
  }
  return {
    ...values,
    files: positionals,
    to: values.to ?? [],
    line: parseLine(values.line),
    priority: parsePriority(values.priority),
    at: parseAt(values.at),
    coverPage: parseCover(values),
  };
}

async function readDocument(path: string): Promise<FaxDocumentInput> {
  const content = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    error.path ??= path;
    throw error;
  });
  return { name: basename(path), content };
}

/** Submits and follows the job to its end, drawing the progress on stderr. */
async function sendAndWait(server: FaxServer, submission: SubmitOptions, json: boolean): Promise<FaxJobStatus> {
  // Subscribed before submitting, so that none of the job's events can slip by.
  await server.listenToServerEvents(FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE);
  const job = await server.submit(submission);
  if (!json) process.stdout.write(`${job.jobId}\n`);
  const progress = new SendProgress(process.stderr, job.jobId);
  try {
    return await waitForJobEnd(server, job.jobId, (status) => progress.update(status));
  } finally {
    progress.finish();
  }
}

export async function sendCommand(args: string[]): Promise<void> {
  const options = parseSendArgs(args);
  if (!options) return void process.stdout.write(`${SEND_USAGE}${SERVER_OPTIONS_USAGE}`);
  const recipients = await listRecipients(options.to, options.recipients);
  // A list file always makes a broadcast, even of one row, so that what is printed depends on the command alone.
  const broadcast = options.recipients !== undefined || recipients.length > 1;
  if (broadcast && options.recipient !== undefined) {
    throw new UserError(
      '--recipient names the one recipient of --to; to name each of several, use --recipients FILE.csv',
    );
  }
  const documents = await Promise.all(options.files.map(readDocument));
  const common: SubmissionOptions = {
    documents,
    senderName: options.sender,
    priority: options.priority,
    scheduledAt: options.at,
    line: options.line,
    notify: options.notify,
    coverPage: options.coverPage,
  };
  const [only] = recipients;
  const wait = options.wait === true;
  const json = options.json === true;
  await withServer(options, async (server) => {
    if (broadcast) return sendBroadcast(server, common, recipients, { wait, json });
    const submission: SubmitOptions = { ...common, to: only.number, recipientName: options.recipient ?? only.name };
    if (!wait) {
      const job = await server.submit(submission);
      if (json) printJson({ jobId: job.jobId });
      else process.stdout.write(`${job.jobId}\n`);
      return;
    }
    const final = await sendAndWait(server, submission, json);
    if (json) printJson(final.toJSON());
    if (baseJobStatus(final.status) !== FAX_JOB_STATUS_ENUM.fjsCOMPLETED) {
      throw new UserError(`job ${final.jobId} was not sent: ${progressText(final)}`);
    }
  });
}
