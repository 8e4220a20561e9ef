// Three faxd processes on one PostgreSQL database: a job submitted on node A is sent by node C's line (the only one
// that may send); an event stream on node B shows every event of the job in order, with the numbers a stream on C
// shows, and a stream on B resumed with Last-Event-ID replays them; while the call runs, node B shows C's port
// sending its current page (GET /v1/ports, the port's status, and `fax ports`, which lists the lines of all three).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { letter, submit, TestCluster } from '../testing/faxd-cluster.js';
import { finalJob, type JsonBody, requestJson, waitFor } from '../testing/faxd-fixture.js';
import type { FaxdProcess } from '../testing/faxd-process.js';

/** An event stream message as a client reads it. */
interface StreamMessage {
  readonly id: number;
  readonly event: string;
  readonly data: JsonBody;
}

/** A Server-Sent Events client: every message the stream has sent so far, until closed. */
class EventStreamClient {
  readonly messages: StreamMessage[] = [];
  readonly #abort = new AbortController();
  #text = '';

  private constructor() {}

  /** Connected once the response has begun (the server subscribes before it answers). */
  static async open(url: string, lastEventId?: number): Promise<EventStreamClient> {
    const client = new EventStreamClient();
    const headers: Record<string, string> = lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) };
    const response = await fetch(`${url}/v1/events`, { headers, signal: client.#abort.signal });
    assert.equal(response.status, 200);
    void client.#read((response.body as ReadableStream<Uint8Array>).getReader());
    return client;
  }

  close(): void {
    this.#abort.abort();
  }

  /** The messages about job `jobId`: its job events and its archived message's. */
  of(jobId: string): StreamMessage[] {
    return this.messages.filter(({ data }) => data.jobId === jobId || data.messageId === jobId);
  }

  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.#text += decoder.decode(value, { stream: true });
        let end = this.#text.indexOf('\n\n');
        while (end >= 0) {
          this.#parse(this.#text.slice(0, end));
          this.#text = this.#text.slice(end + 2);
          end = this.#text.indexOf('\n\n');
        }
      }
    } catch {
      // Closed by the test (an abort), or the server went away: the messages so far are what the test asserts on.
    }
  }

  #parse(block: string): void {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(': ');
      if (line.startsWith(':') || colon < 0) continue;
      fields.set(line.slice(0, colon), line.slice(colon + 2));
    }
    const id = fields.get('id');
    if (id === undefined) return;
    this.messages.push({
      id: Number(id),
      event: fields.get('event') ?? '',
      data: JSON.parse(fields.get('data') ?? ''),
    });
  }
}

/** Runs `fax ARGS`; its standard output. */
async function fax(args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    join(repoRoot(), 'packages/cli/bin/fax.js'),
    ...args,
  ]);
  return stdout;
}

describe('events and port status across faxd nodes on one PostgreSQL', () => {
  let cluster: TestCluster | undefined;
  const nodes = {} as Record<'a' | 'b' | 'c', FaxdProcess>;

  before(async () => {
    const opened = await TestCluster.open();
    cluster = opened;
    // Started together: the migrations run once, and each node joins under the others' eyes. Only C's line sends.
    [nodes.a, nodes.b, nodes.c] = await Promise.all([
      opened.start('a'),
      opened.start('b', { send: false }),
      opened.start('c'),
    ]);
  });
  after(() => cluster?.dispose());

  it('streams a job sent on node C to node B in order, and shows C’s port live on B', async () => {
    const { a, b, c } = nodes;
    const onB = await EventStreamClient.open(b.url);
    const onC = await EventStreamClient.open(c.url);
    try {
      // Two pages: a page takes seconds over T.38 in real time, long enough to watch the call on page 2.
      const jobId = await submit(a, letter('Across nodes', 2));

      // During the call, node B shows C's port sending, on its second page or later, with the call's media.
      const status = await waitFor(
        'node B to show port 5 sending page 2',
        async () => {
          const port = (await requestJson(b.url, '/v1/ports/5/status')).body;
          return port.currentPage >= 2 ? port : undefined;
        },
        60_000,
      );
      assert.equal(status.deviceId, 5);
      assert.equal(status.send, true);
      assert.equal(status.description, 'Sending');
      assert.equal(status.address, '100');
      assert.equal(status.pageCount, 2);
      assert.equal(typeof status.elapsedTime, 'number');
      const listed = (await requestJson(b.url, '/v1/ports')).body as JsonBody[];
      assert.deepEqual(
        listed.map((port) => [port.deviceId, port.nodeId]),
        [
          [1, 'a'],
          [3, 'b'],
          [5, 'c'],
        ],
      );
      assert.equal(listed[2].call?.media, 't38', 'C’s port carries a T.38 call');
      assert.equal(listed[0].call, null);
      const shown = JSON.parse(await fax(['ports', '--json', '--server', b.url])) as JsonBody[];
      assert.deepEqual(
        shown.map((port) => [port.deviceId, port.send, port.description]),
        [
          [1, false, 'Available'],
          [3, false, 'Available'],
          [5, true, 'Sending'],
        ],
      );
      assert.ok(shown[2].currentPage >= 2, `fax ports shows page ${shown[2].currentPage}`);
      assert.ok(!isFinal((await requestJson(a.url, `/v1/jobs/${jobId}`)).body.status), 'all during the call');

      const job = await finalJob(a.url, jobId, 60_000);
      assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
      assert.equal(job.deviceId, 5, 'sent by node C');

      // Every event of the job, from A (its submission) and C (its call), reaches both streams, the archived
      // message last.
      const archived = (stream: EventStreamClient) => stream.of(jobId).some((m) => m.event === 'outgoingMessageAdded');
      await waitFor('both streams to show the job archived', () => (archived(onB) && archived(onC) ? true : undefined));
      const seenOnB = onB.of(jobId);
      assert.deepEqual(seenOnB, onC.of(jobId), 'the same events, numbers and order on B as on C');
      const heard = seenOnB.map((m) => `${m.id} ${m.event}`).join(', ');
      assert.equal(seenOnB[0]?.event, 'outgoingJobAdded', `B and C heard: ${heard}`);
      assert.equal(seenOnB.at(-1)?.event, 'outgoingMessageAdded');
      const statuses = seenOnB.filter((m) => m.event === 'outgoingJobChanged').map((m) => m.data.status.status);
      assert.ok(statuses.includes(FAX_JOB_STATUS_ENUM.fjsINPROGRESS), 'C’s call is in it');
      assert.equal(statuses.at(-1), FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
      const pages = seenOnB.filter((m) => m.event === 'outgoingJobChanged').map((m) => m.data.status.currentPage);
      assert.deepEqual(
        pages,
        [...pages].sort((x, y) => x - y),
        'pages in the order they were sent',
      );
      for (const stream of [onB, onC]) {
        const ids = stream.messages.map((m) => m.id);
        assert.ok(
          ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)),
          `increasing, none twice: ${ids}`,
        );
      }

      // A client of B that resumes from just before the job gets the same events again from the log.
      const resumed = await EventStreamClient.open(b.url, (seenOnB[0]?.id as number) - 1);
      try {
        const last = seenOnB.at(-1)?.id as number;
        await waitFor('the replay', () => (resumed.messages.some((m) => m.id >= last) ? true : undefined), 20_000);
        assert.deepEqual(resumed.of(jobId), seenOnB);
      } finally {
        resumed.close();
      }
    } finally {
      onB.close();
      onC.close();
    }
  });
});
