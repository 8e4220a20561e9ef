// faxd as its own process on a data directory that fills up (issue 17, "no crash on storage faults"): a 4 MB tmpfs the
// test mounts (it needs root for that) filled with ballast during a submission, during a reception and the event
// writes around it. faxd stays up, refuses new submissions with 507, takes them again once space is freed, loses no
// accepted job, and its database (on SQLite, the disk's) passes `PRAGMA integrity_check`. Faxes go over a sandbox pair
// (no line time) but the one whose reception the full disk must meet, which keeps real-time loopback lines.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { sql } from 'kysely';
import sharp from 'sharp';
import { type JsonBody, requestJson, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { openTestStore, testStoreKind } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const MB = 2 ** 20;
const TWO_PAGES = 'Page one.\n\fPage two.\n';

/** Free bytes on the file system holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const { bavail, bsize } = await statfs(dir);
  return bavail * bsize;
}

/** Writes ballast under `dir` until at most `leave` bytes are free (0: until the file system refuses a block). */
async function fill(dir: string, leave: number): Promise<void> {
  const file = await open(join(dir, `ballast-${Date.now()}`), 'a');
  try {
    for (let free = await freeBytes(dir); free > leave; free = await freeBytes(dir)) {
      const size = Math.max(4096, Math.min(256 * 1024, free - leave));
      try {
        await file.write(new Uint8Array(size));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw error;
      }
    }
  } finally {
    await file.close();
  }
}

async function removeBallast(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.startsWith('ballast-')) await rm(join(dir, name));
}

/** A PNG of random grey noise, which neither PNG nor T.6 can make small: about `bytes` long. */
function noisePng(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes));
  const pixels = new Uint8Array(side * side).map(() => Math.floor(Math.random() * 256));
  return sharp(pixels, { raw: { width: side, height: side, channels: 1 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** Lines 1 and 2 are a sandbox pair, 3 and 4 real-time loopback lines: a fax from `line` goes to the next one. */
function submission(name: string, bytes: Uint8Array, line: 1 | 3) {
  const documents = [{ name, contentBase64: Buffer.from(bytes).toString('base64') }];
  return { to: String(line + 1), line, documents };
}

describe('faxd on a data directory that fills up', () => {
  let base = '';
  let mounted = '';
  let faxd: FaxdProcess | undefined;
  /** Every job faxd accepted (201): none may be lost. */
  const accepted: string[] = [];
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd?.url ?? '', path, init);

  async function assertUp(): Promise<void> {
    assert.equal(faxd?.child.exitCode, null, `faxd is still running: ${faxd?.output()}`);
    assert.equal((await api('/v1/status')).status, 200);
  }

  async function submit(name: string, bytes: Uint8Array, line: 1 | 3 = 1): Promise<{ status: number; body: JsonBody }> {
    const answer = await api('/v1/jobs', { method: 'POST', body: submission(name, bytes, line) });
    if (answer.status === 201) accepted.push(answer.body.jobId);
    return answer;
  }

  async function jobEnded(jobId: string, limitMs = 120_000): Promise<JsonBody> {
    return waitFor(
      `job ${jobId} to end`,
      async () => {
        const job = (await api(`/v1/jobs/${jobId}`)).body;
        return isFinal(job.status) ? job : undefined;
      },
      limitMs,
    );
  }

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'this test mounts a 4 MB tmpfs for the data directory: run it as root');
    base = await mkdtemp(join(tmpdir(), 'faxd-full-disk-'));
    mounted = join(base, 'data');
    await mkdir(mounted);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mounted]);
    const config = await writeFaxdConfig(base, {
      dataDir: join(mounted, 'var'),
      storage: { minFreeMegabytes: 1 },
      outboundQueue: { retries: 10, retryDelaySeconds: 1 },
      lines: [
        { id: 1, name: 'Out', kind: 'sandbox', peer: 2, tsid: '+1 555 0101', csid: '+1 555 0101' },
        { id: 2, name: 'In', kind: 'sandbox', peer: 1, tsid: '+1 555 0102', csid: '+1 555 0102' },
        { id: 3, name: 'Out (real time)', kind: 'loopback', tsid: '+1 555 0103', csid: '+1 555 0103' },
        { id: 4, name: 'In (real time)', kind: 'loopback', tsid: '+1 555 0104', csid: '+1 555 0104' },
      ],
    });
    faxd = await startFaxdProcess(config);
  });

  after(async () => {
    const child = faxd?.child;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (mounted) execFileSync('umount', [mounted]);
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('refuses submissions with 507 while free space is below storage.minFreeMegabytes', async () => {
    await fill(mounted, MB / 2);
    const refused = await submit('note.txt', new TextEncoder().encode('A note.\n'));
    assert.equal(refused.status, 507);
    assert.equal(refused.body.error.code, 'FAX_ERR_INSUFFICIENT_STORAGE');
    await assertUp();
  });

  it('refuses a submission whose files fill the disk, and keeps none of them', async () => {
    await removeBallast(mounted);
    await fill(mounted, 1.3 * MB);
    const refused = await submit('noise.png', await noisePng(1.5 * MB));
    assert.equal(refused.status, 507, JSON.stringify(refused.body));
    assert.match(refused.body.error.message, /\(ENOSPC\)/);
    assert.deepEqual(await readdir(join(mounted, 'var', 'jobs')).catch(() => []), []);
    await assertUp();
  });

  it('takes submissions again once space is freed, and delivers them', async () => {
    await removeBallast(mounted);
    const taken = await submit('note.txt', new TextEncoder().encode(TWO_PAGES));
    assert.equal(taken.status, 201);
    assert.equal((await jobEnded(taken.body.jobId)).status, S.fjsCOMPLETED);
  });

  it('stays up when the disk fills during a reception, and delivers the fax once there is room', async () => {
    // In real time, so the reception is still under way when the disk fills.
    const taken = await submit('note.txt', new TextEncoder().encode(TWO_PAGES), 3);
    assert.equal(taken.status, 201);
    await waitFor(
      'a reception to be under way',
      async () => {
        const incoming = (await api('/v1/jobs?direction=incoming')).body as JsonBody[];
        return incoming.some((job) => job.currentPage >= 1) ? true : undefined;
      },
      60_000,
      20,
    );
    await fill(mounted, 0);
    await waitFor('both ports to be idle', async () => {
      const ports = (await api('/v1/status')).body as JsonBody[];
      return ports.every((port) => port.startTime === null) ? true : undefined;
    });
    await assertUp();
    const refused = await submit('note.txt', new TextEncoder().encode('A note.\n'));
    assert.equal(refused.status, 507);
    // A change with its event to store: taken if the database still has room in its log, else refused with 507.
    const queue = await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    assert.ok([200, 507].includes(queue.status), JSON.stringify(queue.body));
    await removeBallast(mounted);
    assert.equal((await jobEnded(taken.body.jobId)).status, S.fjsCOMPLETED);
    await assertUp();
  });

  it('lost no accepted job, and the database is intact', async () => {
    const child = faxd?.child;
    assert.ok(child);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const db = await openTestStore(join(mounted, 'var'));
    try {
      // A SQLite store lives on the full disk; PostgreSQL keeps its own, and answers for its own integrity.
      if (testStoreKind() === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
        assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
      }
      const unsettled = await db
        .selectFrom('jobs')
        .select('id')
        .where(sql<boolean>`(status & ${S.fjsINPROGRESS | S.fjsROUTING | S.fjsPENDING | S.fjsRETRYING}) != 0`)
        .execute();
      assert.deepEqual(unsettled, [], 'every job, sent or received, ended');
      for (const id of accepted) {
        const row = await db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirst();
        assert.equal(row?.status, S.fjsCOMPLETED, `job ${id}`);
      }
    } finally {
      await db.destroy();
    }
  });
});
