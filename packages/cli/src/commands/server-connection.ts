// What every `fax` command that talks to a faxd server shares (DESIGN.md §3): --server/FAXD_URL, --token/FAXD_TOKEN,
// --json, and SDK errors turned into `fax: <message>` with exit status 1.

import { FaxApiError, FaxConnectionError, FaxServer } from '@faxd/client';
import { UserError } from '../user-error.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/** The parseArgs options every server command accepts. */
export const SERVER_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SERVER_OPTIONS_USAGE = `Server: --server URL or FAXD_URL (default ${DEFAULT_SERVER_URL}); --token TOKEN or FAXD_TOKEN.
`;

export interface ServerArgs {
  readonly server?: string;
  readonly token?: string;
}

/** The server URL the command talks to: --server, else FAXD_URL, else the default; refused unless http(s). */
export function serverUrlOf(args: ServerArgs): string {
  const url = args.server ?? (process.env.FAXD_URL || DEFAULT_SERVER_URL);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new UserError(`not a valid server URL: "${url}"`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UserError(`the server URL must start with http:// or https:// (got "${url}")`);
  }
  return url;
}

/** The SDK's errors as the user should see them; anything else passes through unchanged. */
export function userErrorOf(error: unknown): unknown {
  if (error instanceof FaxApiError || error instanceof FaxConnectionError) return new UserError(error.message);
  return error;
}

/**
 * Connects, runs `use`, and disconnects whatever happens, so that an open event stream never keeps the command
 * running. SDK errors come out as UserErrors.
 */
export async function withServer<T>(args: ServerArgs, use: (server: FaxServer) => Promise<T>): Promise<T> {
  const url = serverUrlOf(args);
  const token = args.token ?? (process.env.FAXD_TOKEN || undefined);
  let server: FaxServer | undefined;
  try {
    server = await FaxServer.connect(url, { token });
    return await use(server);
  } catch (error) {
    throw userErrorOf(error);
  } finally {
    server?.disconnect();
  }
}

/** Writes `value` as one line of JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** The one ID a command like `fax job ID` takes; `what` names it in complaints ("job id"). */
export function singleId(positionals: readonly string[], what: string, usage: string): string {
  if (positionals.length === 0) throw new UserError(`no ${what} given (usage: ${usage})`);
  if (positionals.length > 1) throw new UserError(`one id at a time (usage: ${usage})`);
  return positionals[0];
}
