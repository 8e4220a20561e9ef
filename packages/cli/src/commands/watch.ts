// `fax watch`: the server's push events as they happen, one line each, until interrupted (SIGINT or SIGTERM ends it
// with exit status 0); with --json each line is the FaxServerEvent exactly as the wire carries it (DESIGN.md §3).

import { parseArgs } from 'node:util';
import { FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEvent } from '@faxd/client';
import { FAX_SERVER_EVENTS, maskOfAll } from '@faxd/contract';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';
import { progressText } from './job-text.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, serverUrlOf, withServer } from './server-connection.js';

export const WATCH_USAGE = `usage: fax watch [--json]

Prints the server's events (jobs, archives, devices, queues, calls) as they happen, until interrupted.
--json prints one event object per line, e.g. {"event":"outgoingJobAdded","jobId":"12"}.
`;

const EVERY_EVENT = maskOfAll(FAX_SERVER_EVENTS_TYPE_ENUM);

/** An event's arguments as `name=value` words, strings quoted when they are empty or hold spaces. */
function argumentsText(event: FaxServerEvent): string {
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  return FAX_SERVER_EVENTS[event.event].arguments
    .map((name: string) => {
      const value = fields[name];
      const text = typeof value === 'string' && (value === '' || /\s/.test(value)) ? JSON.stringify(value) : value;
      return `${name}=${text}`;
    })
    .join(' ');
}

/** One event for people: local time of arrival, name, then what it says. */
export function eventLine(event: FaxServerEvent, at: Date): string {
  const time = at.toTimeString().slice(0, 8);
  if (event.event === 'outgoingJobChanged' || event.event === 'incomingJobChanged') {
    const line = event.status.deviceId === null ? '' : ` on line ${event.status.deviceId}`;
    return `${time} ${event.event} job ${event.jobId}: ${progressText(event.status)}${line}`;
  }
  const details = argumentsText(event);
  return details === '' ? `${time} ${event.event}` : `${time} ${event.event} ${details}`;
}

/** Resolves at the first SIGINT or SIGTERM, which then no longer kill the process. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function watchCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, allowPositionals: true, options: SERVER_OPTIONS }),
  );
  if (values.help) return void process.stdout.write(`${WATCH_USAGE}${SERVER_OPTIONS_USAGE}`);
  if (positionals.length > 0) throw new UserError(`fax watch takes no arguments (got "${positionals[0]}")`);
  const stop = interrupted();
  await withServer(values, async (server) => {
    server.observe((event) => {
      if (values.json) printJson(event);
      else process.stdout.write(`${eventLine(event, new Date())}\n`);
    });
    await server.listenToServerEvents(EVERY_EVENT);
    process.stderr.write(`watching ${serverUrlOf(values)} (interrupt to stop)\n`);
    await stop;
  });
}
