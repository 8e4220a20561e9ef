// Several faxd processes on one PostgreSQL database and one data directory: a job submitted on a node without a line
// that may send is sent by the node that has one; that node killed (SIGKILL) mid-call, its job is taken over after
// the lease and sent by another node, the far end holding exactly one complete copy; restarted under the same nodeId,
// it serves its line again; every node lists every live node's lines; a node cannot start on a line id a live node serves; and a node stopped (SIGSTOP) past its
// lease and continued cannot record anything of the job another node took over (fencing); a cancel on one node hangs
// up the call another node runs.
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

const t38 = (id: number, bind: number, peer: number, tsid: string, send: boolean) => ({
  id,
  kind: 't38',
  bind: `127.0.0.1:${bind}`,
  peer: `127.0.0.1:${peer}`,
  tsid,
  send,
});

/**
 * A far end (faxd in this process) with line 1 toward node C's line 5 and line 2 toward node B's line 3, the node
 * configurations of one cluster over a new database, and the processes started, killed when the file ends.
 */
class TestCluster {
  readonly children: ChildProcess[] = [];
  readonly directory: string;
  readonly receiver: TestFaxd;
  /** UDP ports: of nodes A, B and C's lines, and of the far end's lines 1 and 2. */
  readonly ports: Record<'a1' | 'b3' | 'c5' | 'r1' | 'r2', number>;
  readonly #store: { kind: string; url: string };

  private constructor(directory: string, receiver: TestFaxd, ports: TestCluster['ports'], url: string) {
    this.directory = directory;
    this.receiver = receiver;
    this.ports = ports;
    this.#store = { kind: 'postgres', url };
  }

  static async open(): Promise<TestCluster> {
    const directory = await mkdtemp(join(tmpdir(), 'faxd-cluster-'));
    const [a1, b3, c5, r1, r2] = await Promise.all([1, 2, 3, 4, 5].map(() => freeUdpPort()));
    // A t38 line answers only its own peer: one line of the far end for each node's sending line.
    const receiver = await startTestFaxd({
      lines: [
        { ...t38(1, r1, c5, 'RECEIVER', false), csid: 'RECEIVER' },
        { ...t38(2, r2, b3, 'RECEIVER', false), csid: 'RECEIVER' },
      ],
    });
    return new TestCluster(directory, receiver, { a1, b3, c5, r1, r2 }, await createTestDatabase());
  }

  /** Node A: a line that may not send. Node B: line 3, toward the far end's line 2. Node C: line 5, toward line 1. */
  async config(nodeId: 'a' | 'b' | 'c' | 'd'): Promise<string> {
    const { a1, b3, c5, r1, r2 } = this.ports;
    const lines = {
      a: [t38(1, a1, 9, 'NODE-A', false)],
      b: [t38(3, b3, r2, 'NODE-B', true)],
      c: [t38(5, c5, r1, 'NODE-C', true)],
      d: [t38(5, await freeUdpPort(), r1, 'NODE-D', true)],
    }[nodeId];
    const home = join(this.directory, nodeId);
    await mkdir(home, { recursive: true });
    return writeFaxdConfig(home, {
      nodeId,
      store: this.#store,
      dataDir: join(this.directory, 'var'),
      cluster: LEASE,
      outboundQueue: { retries: 3, retryDelaySeconds: 1 },
      lines,
    });
  }

  async start(nodeId: 'a' | 'b' | 'c'): Promise<FaxdProcess> {
    const node = await startFaxdProcess(await this.config(nodeId));
    this.children.push(node.child);
    return node;
  }

  async dispose(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    await this.receiver.dispose();
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** Waits until job `jobId`, read through `node`, has reached page 2. */
async function onPage2(node: FaxdProcess, jobId: string): Promise<void> {
  await waitFor('page 2 to start', async () => {
    const job = (await requestJson(node.url, `/v1/jobs/${jobId}`)).body;
    return job.currentPage >= 2 ? true : undefined;
  });
}

describe('faxd nodes sharing one PostgreSQL', () => {
  const clusters: TestCluster[] = [];
  after(async () => {
    for (const cluster of clusters) await cluster.dispose();
  });

  it('dispatches to the node with a free line, and takes a killed node’s call over after its lease', async () => {
    const cluster = await TestCluster.open();
    clusters.push(cluster);
    const { receiver } = cluster;
    const a = await cluster.start('a');
    let c = await cluster.start('c');

    // Only C has a line that may send: a job submitted on A is C's to send.
    const first = await submit(a, letter('First', 1));
    const firstJob = await finalJob(a, first);
    assert.equal(firstJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(firstJob.deviceId, 5);

    // C killed on page 2 of a three-page job: no node may send it until B, with a line that may, joins.
    const text = letter('Second', 3);
    const second = await submit(a, text);
    await onPage2(a, second);
    c.child.kill('SIGKILL');
    await new Promise((resolve) => c.child.once('exit', resolve));
    const b = await cluster.start('b');
    const secondJob = await finalJob(b, second);
    assert.equal(secondJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(secondJob.deviceId, 3, 'sent by node B once C’s lease lapsed');
    assert.equal(secondJob.retries, 1, 'the call cut by the kill counts as a retry');

    // The far end holds one complete copy of each job, and the second is its document.
    const inbox = await waitFor('both complete receptions to be stored', async () => {
      const messages = (await requestJson(receiver.url, '/v1/inbox')).body as JsonBody[];
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
    c = await cluster.start('c');
    // Every node lists every live node's lines, each with the node that owns it.
    const ports = (await requestJson(b.url, '/v1/ports')).body as JsonBody[];
    assert.deepEqual(
      ports.map((port) => [port.deviceId, port.nodeId, port.send]),
      [
        [1, 'a', false],
        [3, 'b', true],
        [5, 'c', true],
      ],
    );
    assert.equal((await requestJson(a.url, '/v1/ports/5')).body.nodeId, 'c');
    const third = await submit(b, letter('Third', 1), { line: 5 });
    const thirdJob = await finalJob(a, third);
    assert.equal(thirdJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(thirdJob.deviceId, 5);
    await assert.rejects(startFaxdProcess(await cluster.config('d')), /line 5 is served by node "c", which is live/);

    // A cancel on node B hangs up the call node C runs.
    const fourth = await submit(a, letter('Fourth', 3), { line: 5 });
    await onPage2(a, fourth);
    assert.equal((await requestJson(b.url, `/v1/jobs/${fourth}/cancel`, { method: 'POST' })).status, 200);
    const canceled = await finalJob(a, fourth);
    assert.equal(canceled.status, FAX_JOB_STATUS_ENUM.fjsCANCELED);
    assert.ok(canceled.currentPage < 3, 'hung up before the last page');
  });

  it('refuses every write of a node stopped past its lease to the job another node took over', async () => {
    const cluster = await TestCluster.open();
    clusters.push(cluster);
    const a = await cluster.start('a');
    const c = await cluster.start('c');
    const jobId = await submit(a, letter('Stalled', 3));
    await onPage2(a, jobId);
    c.child.kill('SIGSTOP');
    const b = await cluster.start('b');
    await finalJob(b, jobId);
    // Archived too (the archive's message id is the last thing B writes of it) before C runs again.
    const taken = await waitFor('node B to archive the job', async () => {
      const job = (await requestJson(b.url, `/v1/jobs/${jobId}`)).body;
      return job.messageId === null ? undefined : job;
    });
    assert.equal(taken.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(taken.deviceId, 3);

    c.child.kill('SIGCONT');
    await waitFor('node C to give the job up', () =>
      c.output().includes(`outbound job ${jobId} was left to the node that took it over`) ? true : undefined,
    );
    const after = (await requestJson(a.url, `/v1/jobs/${jobId}`)).body;
    assert.deepEqual(after, taken, 'the job as node B finished it');
    assert.equal((await requestJson(a.url, '/v1/outbox')).body.length, 1, 'archived once');
    // C carries on as a live node: it sends the next job on its line.
    const next = await finalJob(a, await submit(b, letter('After', 1), { line: 5 }));
    assert.equal(next.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(next.deviceId, 5);
  });
});
