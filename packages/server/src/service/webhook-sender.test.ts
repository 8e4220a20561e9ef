// Webhook deliveries survive a storage fault: a delivery whose result the store refuses to record is reported, not
// thrown, and the next wake delivers it again and records it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FaxdDb } from '../store/database.js';
import { allowWrites, refuseWrites } from '../testing/refused-writes.js';
import { openTestStore } from '../testing/test-store.js';
import { WebhookSender, webhookSignature } from './webhook-sender.js';

const REFUSED_UPDATE = {
  name: 'refuse_update',
  table: 'webhooks',
  operation: 'update',
  message: 'refused by test trigger',
} as const;

interface Delivery {
  readonly signature: string | undefined;
  readonly body: string;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('WebhookSender', () => {
  let dir = '';
  let db: FaxdDb;
  let receiver: Server;
  let url = '';
  const deliveries: Delivery[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faxd-webhooks-'));
    db = await openTestStore(dir);
    receiver = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        deliveries.push({ signature: request.headers['x-faxd-signature'] as string | undefined, body });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a delivery the store cannot record, and records it on the next wake', async () => {
    const faults: string[] = [];
    let faultSeen: () => void = () => {};
    const fault = new Promise<void>((resolve) => {
      faultSeen = resolve;
    });
    const sender = new WebhookSender(db, (what, error) => {
      faults.push(`${what}: ${(error as Error).message}`);
      faultSeen();
    });
    // A real refusal from the store: the row of the delivery cannot be updated, as with a full disk.
    await refuseWrites(db, REFUSED_UPDATE);
    const hook = { url, secret: 'hmac-key' };
    try {
      await sender.enqueue('message1', hook, { event: 'incomingMessageAdded', messageId: 'message1' });
      await fault;
      assert.deepEqual(faults, ['webhook deliveries could not be read or recorded: refused by test trigger']);
      assert.equal(deliveries.length, 1, 'the receiver got the delivery whose result was not recorded');
      const unrecorded = await db.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([unrecorded.attempts, unrecorded.delivered_at], [0, null]);

      await allowWrites(db, REFUSED_UPDATE);
      sender.wake();
    } finally {
      await sender.close();
    }
    const recorded = await db.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
    assert.equal(recorded.attempts, 1);
    assert.notEqual(recorded.delivered_at, null);
    assert.equal(recorded.last_error, '');
    assert.equal(deliveries.length, 2, 'delivered again, since the first result was lost');
    for (const delivery of deliveries) {
      assert.equal(delivery.body, recorded.body);
      assert.equal(delivery.signature, webhookSignature('hmac-key', recorded.body));
    }
    assert.equal(faults.length, 1);
  });
});
