// Several faxd processes on one PostgreSQL database and one data directory: a job submitted on a node without a line
// that may send is sent by the node that has one; that node killed (SIGKILL) mid-call, its job is taken over after
// the lease and sent by another node, the far end holding exactly one complete copy; restarted under the same nodeId,
// it serves its line again; and a node cannot start on a line id a live node serves.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { createTestDatabase } from '../testing/postgres-server.js';

/** A fax of `pages` pages whose every page names `what`, so copies of different jobs differ in content. */
function letter(what: string, pages: number): string {
  return Array.from({ length: pages }, (_, i) => `${what}, page ${i + 1}.\n${'Some text.\n'.repeat(30)}`).join('\f');
}
/** Rows of the header band at fine resolution, which differ between attempts (the time is in it). */
const HEADER_ROWS = 39;
const LEASE = { leaseSeconds: 4, heartbeatSeconds: 1 };

async function submit(node: FaxdProcess, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const body = { to: '100', documents: [{ name: 'letter.txt', contentBase64: Buffer.from(text).toString('base64') }] };
  const { status, body: job } = await requestJson(node.url, '/v1/jobs', {
    method: 'POST',
    body: { ...body, ...extra },
  });
  assert.equal(status, 201, JSON.stringify(job));
  return job.jobId;
}

async function finalJob(node: FaxdProcess, jobId: string): Promise<JsonBody> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = (await requestJson(node.url, `/v1/jobs/${jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    },
    180_000,
  );
}

describe('faxd nodes sharing one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  let receiver: TestFaxd | undefined;
  let directory = '';
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await receiver?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('dispatches to the node with a free line, and takes a killed node’s call over after its lease', async () => {
    directory = await mkdtemp(join(tmpdir(), 'faxd-cluster-'));
    const store = { kind: 'postgres', url: await createTestDatabase() };
    const dataDir = join(directory, 'var');
    const [a1, b3, c5, r1, r2] = await Promise.all([1, 2, 3, 4, 5].map(() => freeUdpPort()));
    const t38 = (id: number, bind: number, peer: number, tsid: string, send: boolean) => ({
      id,
      kind: 't38',
      bind: `127.0.0.1:${bind}`,
      peer: `127.0.0.1:${peer}`,
      tsid,
      send,
    });
    // The far end: one line toward node C's line, one toward node B's (a t38 line answers its own peer).
    receiver = await startTestFaxd({
      lines: [
        { ...t38(1, r1, c5, 'RECEIVER', false), csid: 'RECEIVER' },
        { ...t38(2, r2, b3, 'RECEIVER', false), csid: 'RECEIVER' },
      ],
    });
    const nodeConfig = async (nodeId: string, lines: unknown[]) => {
      const home = join(directory, nodeId);
      await mkdir(home, { recursive: true });
      const queue = { retries: 3, retryDelaySeconds: 1 };
      return writeFaxdConfig(home, { nodeId, store, dataDir, cluster: LEASE, outboundQueue: queue, lines });
    };
    const start = async (config: string) => {
      const node = await startFaxdProcess(config);
      children.push(node.child);
      return node;
    };
    const configC = await nodeConfig('c', [t38(5, c5, r1, 'NODE-C', true)]);
    const a = await start(await nodeConfig('a', [t38(1, a1, 9, 'NODE-A', false)]));
    let c = await start(configC);

    // Only C has a line that may send: a job submitted on A is C's to send.
    const first = await submit(a, letter('First', 1));
    const firstJob = await finalJob(a, first);
    assert.equal(firstJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(firstJob.deviceId, 5);

    // C killed on page 2 of a three-page job: no node may send it until B, with a line that may, joins.
    const text = letter('Second', 3);
    const second = await submit(a, text);
    await waitFor('page 2 to start on node C', async () => {
      const job = (await requestJson(a.url, `/v1/jobs/${second}`)).body;
      return job.currentPage >= 2 ? true : undefined;
    });
    c.child.kill('SIGKILL');
    await new Promise((resolve) => c.child.once('exit', resolve));
    const b = await start(await nodeConfig('b', [t38(3, b3, r2, 'NODE-B', true)]));
    const secondJob = await finalJob(b, second);
    assert.equal(secondJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(secondJob.deviceId, 3, 'sent by node B once C’s lease lapsed');
    assert.equal(secondJob.retries, 1, 'the call cut by the kill counts as a retry');

    // The far end holds one complete copy of each job, and the second is its document.
    const inbox = await waitFor('both complete receptions to be stored', async () => {
      const messages = (await requestJson(receiver?.url ?? '', '/v1/inbox')).body as JsonBody[];
      return messages.filter((m) => !m.partial).length >= 2 ? messages : undefined;
    });
    const complete = inbox.filter((m) => !m.partial);
    assert.deepEqual(complete.map((m) => m.tsid).sort(), ['NODE-B', 'NODE-C']);
    assert.ok(inbox.filter((m) => m.partial).length <= 1, 'at most the cut call, kept as partial');
    const fromB = complete.find((m) => m.tsid === 'NODE-B');
    assert.equal(fromB.pages, 3);
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(text)), { paper: 'a4' });
    libtiffPages(receiver.service.files.inboxFax(fromB.id, 'tif'), 3).forEach((page, i) => {
      const below = (p: BilevelPage) => p.data.subarray(HEADER_ROWS * p.stride);
      assert.deepEqual(below(page), below(sent[i] as BilevelPage), `page ${i + 1}`);
    });

    // C restarted under its nodeId serves line 5 again; another node cannot take line 5 while C is live.
    c = await start(configC);
    const third = await submit(b, letter('Third', 1), { line: 5 });
    const thirdJob = await finalJob(a, third);
    assert.equal(thirdJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(thirdJob.deviceId, 5);
    const rival = await nodeConfig('d', [t38(5, await freeUdpPort(), r1, 'NODE-D', true)]);
    await assert.rejects(startFaxdProcess(rival), /line 5 is served by node "c", which is live/);
  });
});
