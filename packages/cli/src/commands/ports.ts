// `fax ports`: what each port of the faxd server is doing, as a table in the manner of HylaFAX's faxstat (with the
// media, modem and rate of each port's call, which FaxStatus has no place for), or with --json the FaxStatus of every
// port in port order with exactly its 19 properties (DESIGN.md §3).

import { parseArgs } from 'node:util';
import type { FaxPortCall, FaxStatus } from '@faxd/client';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, withServer } from './server-connection.js';
import { type Column, formatTable } from './text-table.js';

export const PORTS_USAGE = `usage: fax ports [--json]

Shows each port's activity, and in CALL what carries its call (T.38, PCMU or PCMA audio), the modem and bit rate
the DCS chose, and ECM. --json prints an array of FaxStatus objects, one per port in port order.
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

/** `PCMU V.17 14400 ECM`, `T.38 V.29 9600`, just the media before the DCS, `-` without a call. */
export function callText(call: FaxPortCall | null): string {
  if (!call) return '-';
  const media = call.media === 't38' ? 'T.38' : call.media.toUpperCase();
  return [media, call.modem, call.bitRate, call.ecm ? 'ECM' : null].filter((part) => part !== null).join(' ');
}

interface PortRow {
  readonly status: FaxStatus;
  readonly call: FaxPortCall | null;
}

const COLUMNS: readonly Column<PortRow>[] = [
  { header: 'PORT', cell: ({ status: s }) => s.deviceId },
  { header: 'NAME', cell: ({ status: s }) => s.deviceName },
  { header: 'STATUS', cell: ({ status: s }) => s.description },
  { header: 'PAGE', cell: ({ status: s }) => (s.send && s.currentPage ? `${s.currentPage}/${s.pageCount}` : '-') },
  { header: 'REMOTE', cell: ({ status }) => remoteText(status) },
  { header: 'DOCUMENT', cell: ({ status: s }) => s.documentName || '-' },
  { header: 'ELAPSED', cell: ({ status: s }) => durationText(s.elapsedTime) },
  { header: 'CALL', cell: ({ call }) => callText(call) },
];

export async function portsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, options: SERVER_OPTIONS, allowPositionals: true }),
  );
  if (values.help) return void process.stdout.write(`${PORTS_USAGE}${SERVER_OPTIONS_USAGE}`);
  if (positionals.length > 0) throw new UserError(`fax ports takes no arguments (got "${positionals[0]}")`);
  await withServer(values, async (server) => {
    const statuses = await server.getPortStatuses();
    if (values.json) return printJson(statuses.map((status) => status.toJSON()));
    // The call is the port resource's (FaxPortInfo.call), not FaxStatus's: one more request, joined by device id.
    const calls = new Map([...(await server.getPorts())].map((port) => [port.deviceId, port.call]));
    const rows = statuses.map((status) => ({ status, call: calls.get(status.deviceId) ?? null }));
    process.stdout.write(formatTable(COLUMNS, rows));
  });
}
