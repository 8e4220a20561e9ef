// Test support: a cluster of faxd processes on one new PostgreSQL database and one data directory, with a far end
// (faxd in the test's own process) whose lines answer the nodes' sending lines, and the helpers its tests share.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonBody, requestJson, startTestFaxd, type TestFaxd, waitFor } from './faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from './faxd-process.js';
import { freeUdpPort } from './free-udp-port.js';
import { createTestDatabase } from './postgres-server.js';
import { t38TestLine } from './t38-test-line.js';

/** A fax of `pages` pages whose every page names `what`, so copies of different jobs differ in content. */
export function letter(what: string, pages: number): string {
  return Array.from({ length: pages }, (_, i) => `${what}, page ${i + 1}.\n${'Some text.\n'.repeat(30)}`).join('\f');
}
/** How long a cluster test waits for a job to end: a takeover waits out a lease, then a retry's whole call. */
export const CLUSTER_JOB_MS = 180_000;
/** A short lease, so a takeover waits seconds, with heartbeats well within it. */
const LEASE = { leaseSeconds: 4, heartbeatSeconds: 1 };

export async function submit(
  node: Pick<FaxdProcess, 'url'>,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const body = { to: '100', documents: [{ name: 'letter.txt', contentBase64: Buffer.from(text).toString('base64') }] };
  const { status, body: job } = await requestJson(node.url, '/v1/jobs', {
    method: 'POST',
    body: { ...body, ...extra },
  });
  assert.equal(status, 201, JSON.stringify(job));
  return job.jobId;
}

/**
 * A far end (faxd in this process) with line 1 toward node C's line 5 and line 2 toward node B's line 3, the node
 * configurations of one cluster over a new database, and the processes started, killed when the file ends.
 */
export class TestCluster {
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
        { ...t38TestLine(1, r1, c5, 'RECEIVER', false), csid: 'RECEIVER' },
        { ...t38TestLine(2, r2, b3, 'RECEIVER', false), csid: 'RECEIVER' },
      ],
    });
    return new TestCluster(directory, receiver, { a1, b3, c5, r1, r2 }, await createTestDatabase());
  }

  /**
   * Node A: a line that may not send. Node B: line 3, toward the far end's line 2 (sending unless `send` is false).
   * Node C: line 5, toward line 1.
   */
  async config(nodeId: 'a' | 'b' | 'c' | 'd', { send = true } = {}): Promise<string> {
    const { a1, b3, c5, r1, r2 } = this.ports;
    const lines = {
      a: [t38TestLine(1, a1, 9, 'NODE-A', false)],
      b: [t38TestLine(3, b3, r2, 'NODE-B', send)],
      c: [t38TestLine(5, c5, r1, 'NODE-C', true)],
      d: [t38TestLine(5, await freeUdpPort(), r1, 'NODE-D', true)],
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

  async start(nodeId: 'a' | 'b' | 'c', options: { send?: boolean } = {}): Promise<FaxdProcess> {
    const node = await startFaxdProcess(await this.config(nodeId, options));
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
export async function onPage2(node: Pick<FaxdProcess, 'url'>, jobId: string): Promise<void> {
  await waitFor('page 2 to start', async () => {
    const job = (await requestJson(node.url, `/v1/jobs/${jobId}`)).body;
    return job.currentPage >= 2 ? true : undefined;
  });
}

/**
 * What each end saw of job `jobId`'s calls, for a failure message: the lines of `nodes`' logs that end one of its
 * calls, and every reception at the far end with how it ended.
 */
export async function callsOfJob(
  jobId: string,
  receiver: Pick<TestFaxd, 'url'>,
  nodes: readonly { output(): string }[],
): Promise<string> {
  const ended = nodes.flatMap((node) =>
    node
      .output()
      .split('\n')
      .filter((line) => line.includes(jobId) && line.includes('call ended')),
  );
  const receptions = (await requestJson(receiver.url, '/v1/jobs?direction=incoming&all=true')).body as JsonBody[];
  const seen = receptions.map(({ tsid, status, extendedStatusCode, pages }) => ({
    tsid,
    status,
    extendedStatusCode,
    pages,
  }));
  return `calls of ${jobId} ended:\n${ended.join('\n')}\nreceptions at the far end: ${JSON.stringify(seen)}`;
}
