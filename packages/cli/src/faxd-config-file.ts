// The faxd configuration file as `faxd` and `faxd user` read it: JSON, or nothing (the built-in defaults).
import { readFile } from 'node:fs/promises';
import { UserError } from './user-error.js';

/** The parsed JSON of `path`, or `{}` without one; JSON that does not parse is a UserError naming the file. */
export async function readConfig(path: string | undefined): Promise<unknown> {
  if (path === undefined) return {};
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
