// Archived faxes as SDK and COM objects against a real faxd (a pair of sandbox lines: the real T.30 engine on a
// virtual clock, no real-time waiting): FaxIncomingMessage and FaxOutgoingMessage with their fields,
// copyTiff/CopyTiff the stored TIFF, and delete/Delete removing the message so that a second read or delete answers
// FAX_ERR_MESSAGE_NOT_FOUND; `fax rm` finds a received fax by its id.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FaxApiError, FaxServer } from '@faxd/client';
import * as compat from '@faxd/client/compat';
import { readTiff } from '@faxd/protocol';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { waitFor } from '@faxd/server/testing/faxd-fixture';
import { sandboxLinePairs } from '@faxd/server/testing/numbered-faxes';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';

const FAX = fileURLToPath(new URL('../fax.js', import.meta.url));
const note = new TextEncoder().encode('A note for the archive.\n');
const gone = (error: unknown) => error instanceof FaxApiError && error.code === 'FAX_ERR_MESSAGE_NOT_FOUND';

describe('archived faxes as objects', () => {
  let faxd: RunningFaxd;
  let dataDir = '';
  let server: FaxServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'faxd-archive-sdk-'));
    const lines = sandboxLinePairs(1, 1);
    faxd = await startFaxd({ listen: '127.0.0.1:0', dataDir, lines, ...(await inProcessTestKeys(dataDir)) });
    server = await FaxServer.connect(faxd.url);
  });
  after(async () => {
    server.disconnect();
    await faxd.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads, copies and deletes a sent fax through the SDK and a received one through compat', async () => {
    const sent = await server.submit({ to: '2', documents: [{ name: 'note.txt', content: note }] });
    const [received] = await waitFor('the fax in the inbox', async () => {
      const inbox = await server.getInbox();
      return inbox.length > 0 ? inbox : undefined;
    });
    const sentId = await waitFor(
      'the sent fax in the outbox',
      async () => (await server.getJob(sent.jobId)).messageId ?? undefined,
    );

    const outgoing = await server.getOutgoingMessage(sentId);
    assert.equal(outgoing.id, sentId);
    assert.equal(outgoing.data.documentName, 'note.txt');
    assert.deepEqual(JSON.parse(JSON.stringify(outgoing)), await server.getOutboxMessage(sentId));
    assert.equal(readTiff(await outgoing.copyTiff()).length, outgoing.data.pages);
    await outgoing.delete();
    await assert.rejects(server.getOutboxMessage(sentId), gone);
    await assert.rejects(outgoing.delete(), gone);

    const com = new compat.FaxServer();
    await com.Connect(faxd.url);
    try {
      const message = await com.Folders.IncomingArchive.GetMessage(received.id);
      assert.deepEqual(
        [message.Id, message.Pages, message.TSID, message.CSID],
        [received.id, received.pages, received.tsid, received.csid],
      );
      assert.equal(readTiff(await message.CopyTiff()).length, received.pages);
      await message.Delete();
      await assert.rejects(com.Folders.IncomingArchive.GetMessage(received.id), gone);
    } finally {
      com.Disconnect();
    }
  });

  it('lets `fax rm` delete a received fax by its id', async () => {
    await server.submit({ to: '2', documents: [{ name: 'note.txt', content: note }] });
    const [received] = await waitFor('another fax in the inbox', async () => {
      const inbox = await server.getInbox();
      return inbox.length > 0 ? inbox : undefined;
    });
    // Not spawnSync: this process serves the faxd the command talks to.
    const removed = await promisify(execFile)(process.execPath, [FAX, 'rm', received.id, '--server', faxd.url], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(removed.stdout, `deleted received fax ${received.id}\n`);
    assert.deepEqual(await server.getInbox(), []);
  });
});
