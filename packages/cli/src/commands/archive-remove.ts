// `fax rm ID [--json]` (DESIGN.md §3 "Users"): deletes an archived fax, received or sent, with its files
// (IFaxIncomingMessage/IFaxOutgoingMessage.Delete). Message ids are job ids, unique across both archives, so the id
// alone says which fax; the inbox is tried first, then the outbox.

import { parseArgs } from 'node:util';
import { FaxApiError, type FaxServer } from '@faxd/client';
import { parseCommandLine } from '../run-command.js';
import { printJson, SERVER_OPTIONS, SERVER_OPTIONS_USAGE, singleId, withServer } from './server-connection.js';

export const REMOVE_USAGE = `usage: fax rm ID [--json]

Deletes received or sent fax ID from the archive, with its files: your own, or any with the manage-archives right.
--json prints {"deleted":ID,"archive":"inbox"|"outbox"}.
`;

/** Deletes `id` from whichever archive holds it; the outbox's answer stands when neither does. */
async function removeMessage(server: FaxServer, id: string): Promise<'inbox' | 'outbox'> {
  try {
    await server.deleteInboxMessage(id);
    return 'inbox';
  } catch (error) {
    if (!(error instanceof FaxApiError && error.code === 'FAX_ERR_MESSAGE_NOT_FOUND')) throw error;
  }
  await server.deleteOutboxMessage(id);
  return 'outbox';
}

export async function removeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({ args, allowPositionals: true, options: SERVER_OPTIONS }),
  );
  if (values.help) return void process.stdout.write(`${REMOVE_USAGE}${SERVER_OPTIONS_USAGE}`);
  const id = singleId(positionals, 'fax id', 'fax rm ID');
  await withServer(values, async (server) => {
    const archive = await removeMessage(server, id);
    if (values.json) printJson({ deleted: id, archive });
    else process.stdout.write(`deleted ${archive === 'inbox' ? 'received' : 'sent'} fax ${id}\n`);
  });
}
