// `fax ports`: what each port of the faxd server is doing, as a table in the manner of HylaFAX's faxstat, or with
// --json the FaxStatus of every port in port order with exactly its 19 properties (DESIGN.md §3).

import { parseArgs } from 'node:util';
import type { FaxStatus } from '@faxd/client';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, withServer } from './server-connection.js';
import { type Column, formatTable } from './text-table.js';

export const PORTS_USAGE = `usage: fax ports [--json]

Shows each port's activity. --json prints an array of FaxStatus objects, one per port in port order.
`;

/** `m:ss` (or `h:mm:ss`) of a count of seconds. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = String(seconds % 60).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}:${s}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${s}`;
}

/** The other end of the call: the number dialed and its CSI when sending, the caller's TSI and id when receiving. */
function remoteText(status: FaxStatus): string {
  const parts = status.send ? [status.address, status.csid] : status.receive ? [status.tsid, status.callerId] : [];
  const known = parts.filter((part): part is string => part !== null && part !== '');
  return known.length === 0 ? '-' : [...new Set(known)].join(' / ');
}

const COLUMNS: readonly Column<FaxStatus>[] = [
  { header: 'PORT', cell: (s) => s.deviceId },
  { header: 'NAME', cell: (s) => s.deviceName },
  { header: 'STATUS', cell: (s) => s.description },
  { header: 'PAGE', cell: (s) => (s.send && s.currentPage ? `${s.currentPage}/${s.pageCount}` : '-') },
  { header: 'REMOTE', cell: remoteText },
  { header: 'DOCUMENT', cell: (s) => s.documentName || '-' },
  { header: 'ELAPSED', cell: (s) => durationText(s.elapsedTime) },
];

export async function portsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, options: SERVER_OPTIONS, allowPositionals: true }),
  );
  if (values.help) return void process.stdout.write(`${PORTS_USAGE}${SERVER_OPTIONS_USAGE}`);
  if (positionals.length > 0) throw new UserError(`fax ports takes no arguments (got "${positionals[0]}")`);
  await withServer(values, async (server) => {
    const statuses = await server.getPortStatuses();
    if (values.json) printJson(statuses.map((status) => status.toJSON()));
    else process.stdout.write(formatTable(COLUMNS, statuses));
  });
}
