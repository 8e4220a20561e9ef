// Entry-point plumbing shared by `fax` and `faxd`: dispatch, and the contract for errors (DESIGN.md §3: message on stderr, exit 1).
import { UserError } from './user-error.js';
import { cliVersion } from './version.js';

export type CommandHandler = (args: string[]) => Promise<void>;
/** Loads a command's module and picks its handler. */
export type CommandLoader = () => Promise<CommandHandler>;

/** Runs a command-line parse (util.parseArgs), turning its complaints into UserErrors. */
export function parseCommandLine<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}

const SYSTEM_ERROR_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
};

/** A file-system failure phrased for the user, or undefined when `error` is not one. */
function describeSystemError(error: Error): string | undefined {
  const { code, path } = error as NodeJS.ErrnoException;
  const text = code ? SYSTEM_ERROR_TEXT[code] : undefined;
  if (!text || !path) return undefined;
  return `${path.replace(/\.partial-\d+$/, '')}: ${text}`;
}

/** Runs `handler`, printing `name: message` and exiting 1 on failure; no stack traces unless FAXD_DEBUG is set. */
export async function runMain(name: string, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const systemText = describeSystemError(err);
    const message = systemText ?? (err instanceof UserError ? err.message : `internal error: ${err.message}`);
    process.stderr.write(`${name}: ${message}\n`);
    if (process.env.FAXD_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}

/** Loads and runs the subcommand named by the first argument. */
export async function dispatch(
  commands: Readonly<Record<string, CommandLoader>>,
  args: string[],
  usage: () => Promise<string>,
) {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(await usage());
    return;
  }
  if (name === '--version') {
    process.stdout.write(`${cliVersion()}\n`);
    return;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) throw new UserError(`unknown command "${name}" (try --help)`);
  await (await load())(rest);
}
