// `fax broadcast ID [--cancel]`: a broadcast as a whole (issue 19), each recipient's job and status and the counts by
// status; --cancel cancels every job of it not yet ended. --json prints the broadcast as GET /v1/broadcasts/{id} has it.

import { parseArgs } from 'node:util';
import type { FaxBroadcast, FaxBroadcastRecipient } from '@faxd/client';
import { parseCommandLine } from '../run-command.js';
import { countsText, statusText, timeText } from './job-text.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, singleId, withServer } from './server-connection.js';
import { type Column, formatTable } from './text-table.js';

export const BROADCAST_USAGE = `usage: fax broadcast ID [--cancel] [--json]

Shows broadcast ID (a fax sent to several recipients): each recipient's job and status, and how many jobs are
queued, in progress, completed, failed and canceled. --cancel cancels every job of it that has not ended (one on
the line is hung up) and shows the broadcast after. --json prints the broadcast object.
`;

const COLUMNS: readonly Column<FaxBroadcastRecipient>[] = [
  { header: 'JOB', cell: (recipient) => recipient.jobId },
  { header: 'NUMBER', cell: (recipient) => recipient.number },
  { header: 'NAME', cell: (recipient) => recipient.name ?? '-' },
  { header: 'STATUS', cell: (recipient) => statusText(recipient.status) },
];

/** `broadcast ID, submitted TIME: 3 recipients, 1 completed, 2 queued`, then a row per recipient. */
function describeBroadcast(broadcast: FaxBroadcast): string {
  const submitted = timeText(broadcast.toJSON().submittedTime);
  const summary = `${broadcast.recipients.length} recipients, ${countsText(broadcast.counts)}`;
  return `broadcast ${broadcast.broadcastId}, submitted ${submitted}: ${summary}\n${formatTable(COLUMNS, broadcast.recipients)}`;
}

export async function broadcastCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, allowPositionals: true, options: { ...SERVER_OPTIONS, cancel: { type: 'boolean' } } }),
  );
  if (values.help) return void process.stdout.write(`${BROADCAST_USAGE}${SERVER_OPTIONS_USAGE}`);
  const broadcastId = singleId(positionals, 'broadcast id', 'fax broadcast ID [--cancel]');
  await withServer(values, async (server) => {
    const broadcast = values.cancel
      ? await server.cancelBroadcast(broadcastId)
      : await server.getBroadcast(broadcastId);
    if (values.json) printJson(broadcast.toJSON());
    else process.stdout.write(describeBroadcast(broadcast));
  });
}
