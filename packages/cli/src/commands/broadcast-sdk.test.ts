// Broadcast (issue 19) through @faxd/client and @faxd/client/compat against a real faxd with a pair of sandbox lines
// (the real T.30 engine on a virtual clock, so the sends cost no real-time waiting): a broadcast's jobs, its view and
// its cancel, the refusals of a bad list, and the README's compat FaxDocument script run unchanged until every fax it
// queued has been sent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, FaxApiError, type FaxBroadcast, FaxServer } from '@faxd/client';
import { isFinal } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { sandboxLinePairs } from '@faxd/server/testing/numbered-faxes';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';

const S = FAX_JOB_STATUS_ENUM;
const note = [{ name: 'note.txt', content: new TextEncoder().encode('A broadcast note.\n') }];
/** Far enough ahead that no job of the scheduled broadcasts is dialed while a test looks at it. */
const LATER = new Date('2099-01-01T00:00:00Z');

let faxd: RunningFaxd;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'faxd-broadcast-sdk-'));
  const lines = sandboxLinePairs(1, 1);
  faxd = await startFaxd({ listen: '127.0.0.1:0', dataDir, lines, ...(await inProcessTestKeys(dataDir)) });
});

after(async () => {
  await faxd.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The compat script of the README's broadcast section, exactly as it is printed there. */
function readmeScript(): string {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const match = /```js\n(\/\/ recall\.mjs:[\s\S]*?)```/.exec(readme);
  assert.ok(match, 'the README has the recall.mjs script');
  return match[1];
}

/** Runs `script` as an ES module from the repository root (where `@faxd/client` resolves); its output and status. */
async function runScript(script: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: repoRoot(),
    env: { ...process.env, FAXD_URL: faxd.url },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

/** Refreshes `broadcast` until every job of it has ended. */
async function untilFinished(broadcast: FaxBroadcast): Promise<void> {
  for (let waited = 0; !broadcast.isFinished; waited += 250) {
    assert.ok(waited < 240_000, `broadcast ${broadcast.broadcastId} still running: ${JSON.stringify(broadcast)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await broadcast.refresh();
  }
}

describe('broadcast through the SDK against faxd', () => {
  it('queues a job per recipient in order, shows the broadcast, lists its jobs and cancels it', async () => {
    const server = await FaxServer.connect(faxd.url);
    const recipients = [
      { number: '5550101', name: 'Ann' },
      { number: '5550102' },
      { number: '+1 555 0103', name: 'Cy' },
    ];
    const { broadcastId, jobs } = await server.submit({ recipients, documents: note, scheduledAt: LATER });
    assert.deepEqual(
      jobs.map((job) => [job.recipientNumber, job.recipientName, job.broadcastId, job.status.status]),
      [
        ['5550101', 'Ann', broadcastId, S.fjsPENDING],
        ['5550102', '', broadcastId, S.fjsPENDING],
        ['+1 555 0103', 'Cy', broadcastId, S.fjsPENDING],
      ],
    );
    const broadcast = await server.getBroadcast(broadcastId);
    assert.deepEqual(broadcast.toJSON().recipients, [
      { jobId: jobs[0].jobId, number: '5550101', name: 'Ann', status: S.fjsPENDING },
      { jobId: jobs[1].jobId, number: '5550102', name: null, status: S.fjsPENDING },
      { jobId: jobs[2].jobId, number: '+1 555 0103', name: 'Cy', status: S.fjsPENDING },
    ]);
    assert.deepEqual(broadcast.counts, { queued: 3, inProgress: 0, completed: 0, failed: 0, canceled: 0 });
    assert.equal(broadcast.isFinished, false);
    const listed = await server.getJobs({ broadcast: broadcastId });
    assert.deepEqual(listed.map((job) => job.jobId).sort(), jobs.map((job) => job.jobId).sort());
    // A job sent alone belongs to no broadcast.
    const alone = await server.submit({ to: '5550104', documents: note, scheduledAt: LATER });
    assert.equal(alone.broadcastId, null);
    assert.ok(!listed.some((job) => job.jobId === alone.jobId));

    await broadcast.cancel();
    assert.deepEqual(broadcast.counts, { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 3 });
    assert.ok(broadcast.recipients.every((recipient) => recipient.status === S.fjsCANCELED));
    assert.equal(broadcast.isFinished, true);
    assert.equal((await server.getJob(alone.jobId)).status.status, S.fjsPENDING, 'the lone job is untouched');
    await server.cancelJob(alone.jobId);
  });

  it('refuses a bad list with a typed error and queues nothing of it', async () => {
    const server = await FaxServer.connect(faxd.url);
    const before = (await server.getJobs({ all: true })).length;
    const refusals: [readonly { number: string; name?: string }[], string, Record<string, unknown>][] = [
      [[], 'FAX_ERR_BAD_REQUEST', { field: 'recipients' }],
      [[{ number: '5550101' }, { number: '12ab' }], 'FAX_ERR_BAD_NUMBER', { field: 'recipients[1].number' }],
      [[{ number: '5550101' }, { number: '555-0102' }, { number: '555 0102' }], 'FAX_ERR_DUPLICATE_RECIPIENT', {}],
    ];
    for (const [recipients, code, details] of refusals) {
      await assert.rejects(server.submit({ recipients, documents: note }), (error: unknown) => {
        assert.ok(error instanceof FaxApiError, String(error));
        assert.equal(error.code, code);
        for (const [key, value] of Object.entries(details)) assert.equal(error.details?.[key], value, key);
        return true;
      });
    }
    await assert.rejects(server.getBroadcast('no-such-broadcast'), { code: 'FAX_ERR_BROADCAST_NOT_FOUND' });
    assert.equal((await server.getJobs({ all: true })).length, before);
  });

  it("runs the README's compat FaxDocument script unchanged: it prints the job ids, and every fax is sent", async () => {
    const result = await runScript(readmeScript());
    assert.equal(result.status, 0, result.stderr);
    const [first, ...jobIds] = result.stdout.trimEnd().split('\n');
    const broadcastId = /^broadcast (\S+)$/.exec(first)?.[1];
    assert.ok(broadcastId, result.stdout);
    assert.equal(jobIds.length, 2, result.stdout);

    const server = await FaxServer.connect(faxd.url);
    const jobs = await Promise.all(jobIds.map((jobId) => server.getJob(jobId)));
    assert.deepEqual(
      jobs.map((job) => [job.broadcastId, job.recipientNumber, job.recipientName, job.documentName]),
      [
        [broadcastId, '5550101', 'Northwind Traders', 'Recall notice'],
        [broadcastId, '5550102', 'Contoso Pharmacy', 'Recall notice'],
      ],
    );
    assert.ok(jobs.every((job) => job.senderName === 'Facilities' && job.priority === 1));
    const broadcast = await server.getBroadcast(broadcastId);
    assert.deepEqual(
      broadcast.recipients.map((recipient) => recipient.jobId),
      jobIds,
    );
    await untilFinished(broadcast);
    assert.deepEqual(broadcast.counts, { queued: 0, inProgress: 0, completed: 2, failed: 0, canceled: 0 });
    for (const jobId of jobIds) {
      const { status } = await server.getJob(jobId);
      assert.ok(isFinal(status.status));
      assert.equal(status.status, S.fjsCOMPLETED);
      assert.equal(status.pages, 2, 'samples/letter.pdf went out whole');
    }
  });
});
