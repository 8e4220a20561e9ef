// `faxd user add|list|remove|rights|key` (DESIGN.md §3 "Users"): the server's users and API keys, changed in its store
// whether it runs or not (a running server sees each change at its next request). A new key is printed alone on the
// last line of stdout, so a script can take it with `tail -n 1`; it is shown this once and never again.

import { parseArgs } from 'node:util';
import { accessRightNamesOf, DEFAULT_ACCESS_RIGHTS, parseAccessRights } from '@faxd/contract';
import {
  ConfigError,
  openUserStore,
  StoreUnavailableError,
  UserStoreError,
  type UserSummary,
} from '@faxd/server/user-admin';
import { type Column, formatTable } from './commands/text-table.js';
import { readConfig } from './faxd-config-file.js';
import { readPassword } from './password-prompt.js';
import { parseCommandLine } from './run-command.js';
import { UserError } from './user-error.js';

export const USER_USAGE = `usage: faxd user add NAME [--rights LIST] [--password] [--config FILE]
       faxd user list [--config FILE]
       faxd user remove NAME [--config FILE]
       faxd user rights NAME LIST [--config FILE]
       faxd user key NAME [--config FILE]

Users of the server the configuration describes (its dataDir), whether it runs or not.
  add      a new user with LIST's rights (default ${DEFAULT_ACCESS_RIGHTS}); prints its API key on the last line.
           --password reads a password for the console from the terminal (without echo) or stdin
  list     the users, their rights and how many keys they hold
  remove   the user and its keys, refused at once
  rights   replaces the user's rights with LIST
  key      a new API key for the user, printed on the last line; its earlier keys are revoked
LIST: comma-separated rights, or all: submit-low, submit-normal, submit-high, query-out-jobs, manage-out-jobs,
query-config, manage-config, query-archives, manage-archives, manage-receive-folder.
`;

/** The positionals each subcommand takes after its name. */
const ARITY: Readonly<Record<string, readonly string[]>> = {
  add: ['NAME'],
  list: [],
  remove: ['NAME'],
  rights: ['NAME', 'LIST'],
  key: ['NAME'],
};

function rightsOf(list: string): number {
  try {
    return parseAccessRights(list);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

const USER_COLUMNS: readonly Column<UserSummary>[] = [
  { header: 'NAME', cell: (user) => user.name },
  { header: 'RIGHTS', cell: (user) => accessRightNamesOf(user.rights).join(',') || '-' },
  { header: 'KEYS', cell: (user) => user.keys },
  { header: 'PASSWORD', cell: (user) => (user.hasPassword ? 'yes' : 'no') },
  { header: 'CREATED', cell: (user) => user.createdAt },
];

function listUsers(users: readonly UserSummary[]): void {
  if (users.length === 0) return void process.stdout.write('no users\n');
  process.stdout.write(formatTable(USER_COLUMNS, users));
}

export async function userCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        rights: { type: 'string' },
        password: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  const [action, ...operands] = positionals;
  if (values.help || action === undefined) return void process.stdout.write(USER_USAGE);
  const expected = Object.hasOwn(ARITY, action) ? ARITY[action] : undefined;
  if (!expected) throw new UserError(`unknown user command "${action}" (try faxd user --help)`);
  if (operands.length !== expected.length) {
    throw new UserError(`faxd user ${action} takes ${expected.join(' ') || 'no arguments'} (try faxd user --help)`);
  }
  if (action !== 'add' && (values.rights !== undefined || values.password)) {
    throw new UserError('--rights and --password go with faxd user add');
  }
  const [name = '', list = ''] = operands;
  // Checked before the store is opened: a bad LIST changes nothing.
  const rights =
    action === 'add' ? rightsOf(values.rights ?? DEFAULT_ACCESS_RIGHTS) : action === 'rights' ? rightsOf(list) : 0;
  const password = values.password ? await readPassword() : undefined;
  let store: Awaited<ReturnType<typeof openUserStore>>;
  try {
    store = await openUserStore(await readConfig(values.config));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreUnavailableError) throw new UserError(error.message);
    throw error;
  }
  try {
    const { users } = store;
    if (action === 'add') {
      const key = await users.add(name, rights, password);
      const granted = accessRightNamesOf(rights).join(', ');
      process.stdout.write(`added user ${name} with ${granted}; its API key (shown only now):\n${key}\n`);
    } else if (action === 'list') listUsers(await users.list());
    else if (action === 'remove') {
      await users.remove(name);
      process.stdout.write(`removed user ${name}; its keys no longer work\n`);
    } else if (action === 'rights') {
      await users.setRights(name, rights);
      process.stdout.write(`${name} now has ${accessRightNamesOf(rights).join(', ')}\n`);
    } else {
      const key = await users.newKey(name);
      process.stdout.write(`a new API key for ${name} (shown only now; the earlier keys are revoked):\n${key}\n`);
    }
  } catch (error) {
    if (error instanceof UserStoreError) throw new UserError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
