// `fax inbox` (the received faxes, newest first; --json: FaxInboxMessage objects) and `fax get ID -o FILE.tif|FILE.pdf`
// (one received fax written as TIFF Class F or PDF, atomically) (DESIGN.md §3).

import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { FaxFileFormat, FaxInboxMessage } from '@faxd/client';
import { writeOutputFiles } from '../output-files.js';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { timeText } from './job-text.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, singleId, withServer } from './server-connection.js';
import { type Column, formatTable } from './text-table.js';

export const INBOX_USAGE = `usage: fax inbox [--json]
       fax get ID -o FILE.tif|FILE.pdf

fax inbox lists the received faxes, newest first; --json prints FaxInboxMessage objects.
fax get writes received fax ID to FILE as TIFF Class F (.tif, .tiff) or PDF (.pdf).
`;

/** What to tell about a fax that did not arrive whole. */
function noteOf(message: FaxInboxMessage): string {
  const notes: string[] = [];
  if (message.partial) notes.push('partial');
  if (message.badRows > 0) notes.push(`${message.badRows} bad rows`);
  return notes.join(', ') || '-';
}

const COLUMNS: readonly Column<FaxInboxMessage>[] = [
  { header: 'ID', cell: (m) => m.id },
  { header: 'RECEIVED', cell: (m) => timeText(m.receivedAt) },
  { header: 'LINE', cell: (m) => m.deviceId },
  { header: 'FROM', cell: (m) => m.tsid || '-' },
  { header: 'CALLER', cell: (m) => m.callerId || '-' },
  { header: 'PAGES', cell: (m) => m.pages },
  { header: 'BYTES', cell: (m) => m.size },
  { header: 'NOTE', cell: noteOf },
];

export async function inboxCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, allowPositionals: true, options: SERVER_OPTIONS }),
  );
  if (values.help) return void process.stdout.write(`${INBOX_USAGE}${SERVER_OPTIONS_USAGE}`);
  if (positionals.length > 0) throw new UserError(`fax inbox takes no arguments; to fetch a fax: fax get ID -o FILE`);
  await withServer(values, async (server) => {
    const messages = await server.getInbox();
    if (values.json) printJson(messages);
    else if (messages.length === 0) process.stdout.write('no faxes received\n');
    else process.stdout.write(formatTable(COLUMNS, messages));
  });
}

function formatOf(path: string): FaxFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.pdf') return 'pdf';
  throw new UserError(`cannot tell the format from "${path}": use .tif, .tiff or .pdf`);
}

export async function getCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: { ...SERVER_OPTIONS, output: { type: 'string', short: 'o' } },
    }),
  );
  if (values.help) return void process.stdout.write(`${INBOX_USAGE}${SERVER_OPTIONS_USAGE}`);
  const id = singleId(positionals, 'fax id', 'fax get ID -o FILE');
  if (!values.output) throw new UserError('no output file: give -o FILE.tif or -o FILE.pdf');
  const output = values.output;
  const format = formatOf(output);
  await withServer(values, async (server) => {
    const bytes = await server.downloadInboxMessage(id, format);
    await writeOutputFiles([{ path: output, bytes }]);
  });
}
