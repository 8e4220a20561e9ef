// The `faxd` command: the fax server's entry point (DESIGN.md §3).
import { parseArgs } from 'node:util';
import { parseCommandLine, runMain } from './run-command.js';
import { UserError } from './user-error.js';
import { cliVersion } from './version.js';

const USAGE = `usage: faxd [--config FILE]

Starts the fax server. Options:
  --config FILE   JSON configuration (default: embedded defaults)
  --version       print the version
  --help          print this help
`;

async function main(): Promise<void> {
  const { values } = parseCommandLine(() =>
    parseArgs({
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    }),
  );
  if (values.help) return void process.stdout.write(USAGE);
  if (values.version) return void process.stdout.write(`${cliVersion()}\n`);
  throw new UserError('this build has no fax service yet; `fax convert` is available');
}

await runMain('faxd', main);
