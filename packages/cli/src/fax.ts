// The `fax` command: the faxd command line (DESIGN.md §3).
import { CONVERT_USAGE, convertCommand } from './commands/convert.js';
import { getCommand, INBOX_USAGE, inboxCommand } from './commands/inbox.js';
import { JOB_CONTROL_USAGE, jobControlCommand } from './commands/job-control.js';
import { JOBS_USAGE, jobCommand, jobsCommand } from './commands/jobs.js';
import { PORTS_USAGE, portsCommand } from './commands/ports.js';
import { SEND_USAGE, sendCommand } from './commands/send.js';
import { SERVER_OPTIONS_USAGE } from './commands/server-connection.js';
import { TERMINAL_USAGE, terminalCommand } from './commands/terminal.js';
import { WATCH_USAGE, watchCommand } from './commands/watch.js';
import { dispatch, runMain } from './run-command.js';

const USAGE = `usage: fax COMMAND [options]

Commands:
  convert    documents to fax pages: TIFF Class F, PDF or PNG
  terminal   send or receive one fax over T.38 (UDPTL on UDP)

Commands for a faxd server:
  send       queue a fax, optionally waiting until it is sent
  ports      what each port is doing
  jobs       the jobs in the queues; job ID: one job
  watch      the server's events as they happen
  cancel, pause, resume, restart ID
             act on a job
  inbox      the received faxes; get ID -o FILE: fetch one

${CONVERT_USAGE}
${TERMINAL_USAGE}
${SEND_USAGE}
${PORTS_USAGE}
${JOBS_USAGE}
${WATCH_USAGE}
${JOB_CONTROL_USAGE}
${INBOX_USAGE}
${SERVER_OPTIONS_USAGE}`;

await runMain('fax', () =>
  dispatch(
    {
      convert: convertCommand,
      terminal: terminalCommand,
      send: sendCommand,
      ports: portsCommand,
      jobs: jobsCommand,
      job: jobCommand,
      watch: watchCommand,
      cancel: jobControlCommand('cancel'),
      pause: jobControlCommand('pause'),
      resume: jobControlCommand('resume'),
      restart: jobControlCommand('restart'),
      inbox: inboxCommand,
      get: getCommand,
    },
    process.argv.slice(2),
    USAGE,
  ),
);
