// Archive retention: messages older than archiveRetentionDays are purged with their files, and announced removed; the
// audit log's acts as old go with them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requestJson, startTestFaxd, submitText } from '../testing/faxd-fixture.js';
import { openTestStore } from '../testing/test-store.js';

describe('archive retention', () => {
  let dataDir = '';
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('purges messages past the retention period at start, with their files', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-archive-'));
    const config = { archiveRetentionDays: 30 };
    const first = await startTestFaxd(config, dataDir);
    await requestJson(first.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const submit = () => submitText(first.url, 'One page.\n');
    const [old, recent] = [await submit(), await submit()];
    for (const jobId of [old, recent]) await requestJson(first.url, `/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    const oldMessage = (await requestJson(first.url, `/v1/jobs/${old}`)).body.messageId as string;
    await first.close();

    const db = await openTestStore(dataDir);
    const longAgo = new Date(Date.now() - 31 * 86400_000).toISOString();
    await db.updateTable('outbox').set({ archived_at: longAgo }).where('job_id', '=', old).execute();
    await db.updateTable('audit_log').set({ time: longAgo }).where('object', '=', `job:${old}`).execute();
    await db.destroy();

    const second = await startTestFaxd(config, dataDir);
    try {
      const outbox = (await requestJson(second.url, '/v1/outbox')).body as { jobId: string }[];
      assert.deepEqual(
        outbox.map((m) => m.jobId),
        [recent],
      );
      assert.equal(existsSync(second.service.files.jobFax(old)), false, 'the old job’s files are gone');
      assert.equal(existsSync(second.service.files.jobFax(recent)), true);
      const removed = await second.service.hub.since(0, 0x40);
      assert.ok(
        removed.some(({ event }) => event.event === 'outgoingMessageRemoved' && event.messageId === oldMessage),
      );
      // The acts on the old job were as old as its message; a purge is no one's act, so nothing records it.
      const acts = await second.service.audit.list({});
      assert.deepEqual(
        acts.map((act) => [act.action, act.object]),
        [
          ['canceled', `job:${recent}`],
          ['submitted', `job:${recent}`],
          ['queue-changed', 'queue'],
        ],
      );
    } finally {
      await second.close();
    }
  });
});
