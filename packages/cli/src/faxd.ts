// The `faxd` command: the fax server's entry point (DESIGN.md §3).
import { parseArgs } from 'node:util';
import { readConfig } from './faxd-config-file.js';
import { parseCommandLine, runMain } from './run-command.js';
import { UserError } from './user-error.js';
import { cliVersion } from './version.js';

const USAGE = `usage: faxd [--config FILE]
       faxd user add|list|remove|rights|key …   (faxd user --help)

Starts the fax server. Without --config: state under ./var (SQLite and files), HTTP on 127.0.0.1:8080, and two
loopback lines (ports 1 and 2) joined by T.38 on 127.0.0.1, so a fax sent on one is received on the other.
Options:
  --config FILE   JSON configuration (see README)
SIGHUP reloads the tls certificate and key.
  --version       print the version
  --help          print this help
`;

async function main(): Promise<void> {
  if (process.argv[2] === 'user') {
    const { userCommand } = await import('./faxd-user.js');
    return userCommand(process.argv.slice(3));
  }
  const { values } = parseCommandLine(() =>
    parseArgs({
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    }),
  );
  if (values.help) return void process.stdout.write(USAGE);
  if (values.version) return void process.stdout.write(`${cliVersion()}\n`);
  const config = await readConfig(values.config);
  // The server's modules load once the command is known to start it: `--help` and `user` do without them.
  const { ConfigError, LineConflictError, StoreUnavailableError, startFaxd } = await import('@faxd/server');
  let server: Awaited<ReturnType<typeof startFaxd>>;
  try {
    server = await startFaxd(config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreUnavailableError || error instanceof LineConflictError) {
      throw new UserError(error.message);
    }
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UserError((error as Error).message);
    throw error;
  }
  const ports = server.service.ports().map((port) => `${port.deviceId} ${port.name} (${port.kind})`);
  process.stdout.write(`faxd listening on ${server.url}; ports: ${ports.join(', ')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stdout.write('faxd: stopping\n');
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // SIGHUP: the renewed certificate (`tls`) goes into service; calls and connections already open keep theirs.
    process.on('SIGHUP', () => {
      server.reloadCertificates().then(
        () => process.stdout.write('faxd: certificates reloaded\n'),
        (error: Error) => process.stderr.write(`faxd: the certificates were not reloaded: ${error.message}\n`),
      );
    });
  });
}

await runMain('faxd', main);
