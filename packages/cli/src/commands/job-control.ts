// `fax cancel|pause|resume|restart ID`: one of the contract's JOB_OPERATIONS on a queued or running job, printing the
// state the job is in afterwards (DESIGN.md §3).

import { parseArgs } from 'node:util';
import type { FaxJob, FaxServer } from '@faxd/client';
import type { JobOperation } from '@faxd/contract';
import type { CommandHandler } from '../run-command.js';
import { parseCommandLine } from '../run-command.js';
import { progressText } from './job-text.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, singleId, withServer } from './server-connection.js';

export const JOB_CONTROL_USAGE = `usage: fax cancel|pause|resume|restart ID [--json]

cancel stops a job (a call in progress is hung up); pause holds a queued job, resume releases it; restart
queues again a job that ran out of retries. Prints the job's new state; --json prints the FaxJob.
`;

const OPERATIONS: Readonly<Record<JobOperation, (server: FaxServer, jobId: string) => Promise<FaxJob>>> = {
  cancel: (server, jobId) => server.cancelJob(jobId),
  pause: (server, jobId) => server.pauseJob(jobId),
  resume: (server, jobId) => server.resumeJob(jobId),
  restart: (server, jobId) => server.restartJob(jobId),
};

/** The handler of `fax OPERATION ID`. */
export function jobControlCommand(operation: JobOperation): CommandHandler {
  return async function jobControl(args: string[]): Promise<void> {
    const { values, positionals } = parseCommandLine(() =>
      parseArgs({ args, allowPositionals: true, options: SERVER_OPTIONS }),
    );
    if (values.help) return void process.stdout.write(`${JOB_CONTROL_USAGE}${SERVER_OPTIONS_USAGE}`);
    const jobId = singleId(positionals, 'job id', `fax ${operation} ID`);
    await withServer(values, async (server) => {
      const job = await OPERATIONS[operation](server, jobId);
      if (values.json) printJson(job.toJSON());
      else process.stdout.write(`job ${job.jobId}: ${progressText(job.status)}\n`);
    });
  };
}
