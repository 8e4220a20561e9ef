// The `fax` command: the faxd command line (DESIGN.md §3). A command's module is loaded only when that command runs,
// so `fax convert` starts without the SDK, the T.38 terminal or the protocol stacks it does not use.
import { type CommandLoader, dispatch, runMain } from './run-command.js';

const COMMANDS: Readonly<Record<string, CommandLoader>> = {
  convert: async () => (await import('./commands/convert.js')).convertCommand,
  terminal: async () => (await import('./commands/terminal.js')).terminalCommand,
  send: async () => (await import('./commands/send.js')).sendCommand,
  ports: async () => (await import('./commands/ports.js')).portsCommand,
  jobs: async () => (await import('./commands/jobs.js')).jobsCommand,
  job: async () => (await import('./commands/jobs.js')).jobCommand,
  broadcast: async () => (await import('./commands/broadcast.js')).broadcastCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  cancel: async () => (await import('./commands/job-control.js')).jobControlCommand('cancel'),
  pause: async () => (await import('./commands/job-control.js')).jobControlCommand('pause'),
  resume: async () => (await import('./commands/job-control.js')).jobControlCommand('resume'),
  restart: async () => (await import('./commands/job-control.js')).jobControlCommand('restart'),
  inbox: async () => (await import('./commands/inbox.js')).inboxCommand,
  get: async () => (await import('./commands/inbox.js')).getCommand,
  rm: async () => (await import('./commands/archive-remove.js')).removeCommand,
};

/** The overview with every command's usage; only `fax --help` loads all the command modules. */
async function usage(): Promise<string> {
  const [convert, terminal, send, ports, jobs, broadcast, watch, jobControl, inbox, remove, server] = await Promise.all(
    [
      import('./commands/convert.js'),
      import('./commands/terminal.js'),
      import('./commands/send.js'),
      import('./commands/ports.js'),
      import('./commands/jobs.js'),
      import('./commands/broadcast.js'),
      import('./commands/watch.js'),
      import('./commands/job-control.js'),
      import('./commands/inbox.js'),
      import('./commands/archive-remove.js'),
      import('./commands/server-connection.js'),
    ],
  );
  return `usage: fax COMMAND [options]

Commands:
  convert    documents to fax pages: TIFF Class F, PDF or PNG
  terminal   send or receive one fax over T.38 (UDPTL on UDP)

Commands for a faxd server:
  send       queue a fax (to one number or many), optionally waiting until it is sent
  ports      what each port is doing
  jobs       the jobs in the queues; job ID: one job
  broadcast  a fax sent to several recipients, as a whole; --cancel cancels it
  watch      the server's events as they happen
  cancel, pause, resume, restart ID
             act on a job
  inbox      the received faxes; get ID -o FILE: fetch one
  rm ID      delete a received or sent fax from the archive, with its files

${convert.CONVERT_USAGE}
${terminal.TERMINAL_USAGE}
${send.SEND_USAGE}
${ports.PORTS_USAGE}
${jobs.JOBS_USAGE}
${broadcast.BROADCAST_USAGE}
${watch.WATCH_USAGE}
${jobControl.JOB_CONTROL_USAGE}
${inbox.INBOX_USAGE}
${remove.REMOVE_USAGE}
${server.SERVER_OPTIONS_USAGE}`;
}

await runMain('fax', () => dispatch(COMMANDS, process.argv.slice(2), usage));
