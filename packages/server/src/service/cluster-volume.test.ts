// Volume across a cluster (issue 16): 2,000 jobs over sandbox lines on three faxd processes sharing one PostgreSQL,
// one node killed (SIGKILL) mid-run and restarted under its nodeId. Every job ends, completed, and the inbox holds
// exactly one copy of each, checked page by page against the pixels the job was submitted with (each page draws its
// job's number), so a fax lost, duplicated or mixed up fails whatever the counts say; the cut calls' leftovers are
// partial faxes of the cut jobs alone.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { samePixels } from '@faxd/protocol';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import {
  deliveredCopies,
  type NumberedArrival,
  numberedInboxProblems,
  numberedPage,
  readNumberedInbox,
  sandboxLinePairs,
  submitNumberedFax,
} from '../testing/numbered-faxes.js';
import { createTestDatabase } from '../testing/postgres-server.js';

const JOBS = 2000;
/** One page a job: the calls are what the run is about, and a fax of one page is the cheapest whole call. */
const PAGES = 1;
const NODES = ['a', 'b', 'c'] as const;
type NodeId = (typeof NODES)[number];
/** The node killed a third of the way through and started again. */
const VICTIM: NodeId = 'c';
/** Two sandbox pairs a node; line ids 1–4 on a, 11–14 on b, 21–24 on c (unique across the cluster). */
const FIRST_LINE: Record<NodeId, number> = { a: 1, b: 11, c: 21 };
/** Sandbox pairs on each node, numbered from its FIRST_LINE. */
const PAIRS = 2;
/** How long the run may go without one more job ending before it counts as stalled. */
const STALL_MS = 30_000;

/** The stored state of every job, by job id, read from the shared database. */
async function jobStates(db: FaxdDb) {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'status', 'claim_node', 'retries', 'device_id'])
    .where('direction', '=', 'outgoing')
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

type JobStates = Awaited<ReturnType<typeof jobStates>>;

/**
 * Waits until `count` outgoing jobs have ended and `ready` holds of them; fails on its own when none has ended for STALL_MS, naming `what` it
 * waited for and the jobs still open with their stored status. The stored state of every job, by id.
 */
async function untilEnded(db: FaxdDb, count: number, what: string, ready: (states: JobStates) => boolean = () => true) {
  let best = -1;
  let progressAt = Date.now();
  for (;;) {
    const states = await jobStates(db);
    const open = [...states.values()].filter((row) => !isFinal(row.status));
    const ended = states.size - open.length;
    if (ended >= count && ready(states)) return states;
    if (ended > best) {
      best = ended;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > STALL_MS) {
      const sample = open.slice(0, 10).map((row) => `${row.id} status ${row.status} on ${row.claim_node ?? '(none)'}`);
      throw new Error(`stalled waiting for ${what}: ${ended} of ${states.size} ended; still open: ${sample}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every reception has been routed to the inbox (its sender's job may have ended first). */
async function untilRouted(db: FaxdDb): Promise<void> {
  await waitFor(
    'every reception to be routed',
    async () => {
      const open = await db.selectFrom('jobs').select('status').where('direction', '=', 'incoming').execute();
      return open.every((row) => isFinal(row.status)) ? true : undefined;
    },
    STALL_MS,
  );
}

/** Holds a node's submissions while it is down: closing waits for those under way, opening lets the rest go on. */
class SubmissionGate {
  #opened: Promise<void> = Promise.resolve();
  #reopen: () => void = () => {};
  #running = 0;
  #idle: (() => void) | undefined;

  async run<T>(submit: () => Promise<T>): Promise<T> {
    await this.#opened;
    this.#running++;
    try {
      return await submit();
    } finally {
      if (--this.#running === 0) this.#idle?.();
    }
  }

  async close(): Promise<void> {
    this.#opened = new Promise((resolve) => {
      this.#reopen = resolve;
    });
    if (this.#running > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    this.#idle = undefined;
  }

  open(): void {
    this.#reopen();
  }
}

/**
 * The number job `job` dials: one of its own, since two calls to one number never run at once, ending in 1 so that no
 * sandbox number of the README's table (…0002 busy and the like) is dialed by chance.
 */
const numberOf = (job: number) => `555 ${job}1`;

/** A received fax's pages that differ from the pages its job submitted (the pixels of page n of job j). */
function pixelProblems(arrival: NumberedArrival): string[] {
  return arrival.received.flatMap((page, i) => {
    const job = arrival.jobs[i] as number;
    const number = arrival.pages[i] as number;
    return samePixels(page, numberedPage(job, number))
      ? []
      : [`fax ${arrival.message.id} page ${i + 1} is not page ${number} of job ${job}`];
  });
}

describe('2,000 jobs across three nodes, one killed and restarted', () => {
  const children: FaxdProcess[] = [];
  let directory = '';
  let db: FaxdDb | undefined;
  after(async () => {
    for (const node of children) node.child.kill('SIGKILL');
    await db?.destroy();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('ends every job, and each lands in the inbox exactly once, page for page as submitted', async () => {
    directory = await mkdtemp(join(tmpdir(), 'faxd-volume-'));
    const url = await createTestDatabase();
    db = await openDatabase({ kind: 'postgres', url });
    const start = async (nodeId: NodeId) => {
      const home = join(directory, nodeId);
      await mkdir(home, { recursive: true });
      const config = await writeFaxdConfig(home, {
        nodeId,
        store: { kind: 'postgres', url },
        dataDir: join(directory, 'var'),
        cluster: { leaseSeconds: 3, heartbeatSeconds: 1 },
        // No header line: what arrives is the submitted page exactly. Retries at once for the calls the kill cuts.
        outboundQueue: { headerTemplate: '', retries: 3, retryDelaySeconds: 0 },
        log: { level: 'warn' },
        lines: sandboxLinePairs(FIRST_LINE[nodeId], PAIRS),
      });
      const node = await startFaxdProcess(config);
      children.push(node);
      return node;
    };
    const nodes = { a: await start('a'), b: await start('b'), c: await start('c') };

    // Job numbers 1…2000, a third submitted through each node's API, while the nodes send: the kill falls among
    // submissions, calls and receptions alike. The victim's submissions hold off while it is down.
    const numbers = Array.from({ length: JOBS }, (_, i) => i + 1);
    const jobOf = new Map<string, number>();
    const victimGate = new SubmissionGate();
    const submitting = Promise.all(
      NODES.map(async (nodeId, n) => {
        const mine = numbers.filter((job) => job % NODES.length === n);
        const submitOne = async (job: number) => {
          const submit = () => submitNumberedFax(nodes[nodeId].url, job, { to: numberOf(job), pages: PAGES });
          jobOf.set(await (nodeId === VICTIM ? victimGate.run(submit) : submit()), job);
        };
        // A few at a time: the converter refuses a burst past its queue.
        await Promise.all(
          Array.from({ length: 4 }, async (_, worker) => {
            for (let i = worker; i < mine.length; i += 4) await submitOne(mine[i] as number);
          }),
        );
      }),
    );

    // A third of the way through, with calls of its own under way, the victim is killed and started again. Its own
    // submissions hold off first (one under way when it dies would fail). A sandbox call lasts milliseconds, so the
    // victim is stopped (SIGSTOP) where the store shows it calling, and killed only if the store, read again while
    // it cannot move, still does; else it goes on and the next moment is tried.
    await victimGate.close();
    const heldByVictim = (states: JobStates) =>
      [...states.values()].filter((row) => row.claim_node === VICTIM && !isFinal(row.status));
    const victimCalling = (states: JobStates) => heldByVictim(states).length > 0;
    for (;;) {
      await untilEnded(db, Math.ceil(JOBS / 3), 'a third of the jobs to end, the victim calling', victimCalling);
      nodes[VICTIM].child.kill('SIGSTOP');
      if (victimCalling(await jobStates(db))) break;
      nodes[VICTIM].child.kill('SIGCONT');
    }
    nodes[VICTIM].child.kill('SIGKILL');
    await new Promise((resolve) => nodes[VICTIM].child.once('exit', resolve));
    // What it held when it died stays as it was until a node takes it over: the calls the kill cut.
    const cut = heldByVictim(await jobStates(db)).map((row) => row.id);
    assert.ok(cut.length > 0, 'the victim was killed with calls under way');
    nodes[VICTIM] = await start(VICTIM);
    victimGate.open();
    await submitting;
    const jobIds = [...jobOf.keys()];
    assert.equal(jobIds.length, JOBS);

    const states = await untilEnded(db, JOBS, 'every job to end');
    const notCompleted = jobIds.flatMap((id) => {
      const status = states.get(id)?.status;
      return status === FAX_JOB_STATUS_ENUM.fjsCOMPLETED ? [] : [`job ${jobOf.get(id)} (${id}) ended ${status}`];
    });
    assert.deepEqual(notCompleted, []);
    const sentBy = new Set(jobIds.map((id) => states.get(id)?.claim_node));
    assert.deepEqual([...sentBy].sort(), [...NODES], 'every node sent some');
    // Only the calls the kill cut were retried.
    const retried = jobIds.filter((id) => (states.get(id)?.retries ?? 0) > 0);
    assert.deepEqual(
      retried.filter((id) => !cut.includes(id)),
      [],
    );

    await untilRouted(db);
    // The inbox, each fax decoded from its stored TIFF: every page the pixels its job submitted.
    const arrivals = await readNumberedInbox(nodes.a.url);
    assert.deepEqual(arrivals.flatMap(pixelProblems), []);
    // One copy per job: whole, or (a call the kill cut after its last page was confirmed) partial with every page.
    assert.deepEqual(numberedInboxProblems(deliveredCopies(arrivals, PAGES), numbers, PAGES), []);
    // A partial fax is what the kill left behind: a reception on one of the victim's own lines, cut with its sender's
    // call or (its sender's job ended a moment before) while the fax was being stored.
    const victimLines = new Set(Array.from({ length: 2 * PAIRS }, (_, i) => FIRST_LINE[VICTIM] + i));
    const partial = arrivals.filter((arrival) => arrival.message.partial);
    assert.deepEqual(
      partial.filter((arrival) => !victimLines.has(arrival.message.deviceId)).map((arrival) => arrival.jobs),
      [],
    );
  });
});
