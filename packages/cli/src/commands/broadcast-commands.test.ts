// `fax send` to several recipients, `fax jobs --broadcast` and `fax broadcast` (issue 19) against a real faxd with a
// pair of sandbox lines (the real T.30 engine on a virtual clock, no real-time waiting): a three-recipient broadcast sent with --wait, a CSV list with a header and quoted fields, the
// refusal of a bad row named by its line, and a broadcast canceled while `fax send --wait` follows it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, FAX_JOB_STATUS_PROPERTIES, isFaxJobStatus } from '@faxd/contract';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { sandboxLinePairs } from '@faxd/server/testing/numbered-faxes';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';
import { FaxProcess, runFax } from '../testing/fax-process.js';

const S = FAX_JOB_STATUS_ENUM;
const LATER = '2099-01-01T00:00:00Z';

let faxd: RunningFaxd;
let workDir: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'faxd-cli-broadcast-'));
  writeFileSync(join(workDir, 'note.txt'), 'A note sent to several recipients by the fax command line tests.\n');
  faxd = await startFaxd({
    listen: '127.0.0.1:0',
    dataDir: join(workDir, 'var'),
    lines: sandboxLinePairs(1, 1),
    ...(await inProcessTestKeys(join(workDir, 'var'))),
  });
});

after(async () => {
  await faxd.close();
  rmSync(workDir, { recursive: true, force: true });
});

function fax(args: readonly string[]) {
  return runFax(args, { url: faxd.url, cwd: workDir });
}

/** Writes `text` as `name` in the work directory. */
function file(name: string, text: string): string {
  writeFileSync(join(workDir, name), text);
  return name;
}

async function jobsOf(broadcastId: string) {
  const result = await fax(['jobs', '--all', '--broadcast', broadcastId, '--json']);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

async function allJobCount(): Promise<number> {
  return JSON.parse((await fax(['jobs', '--all', '--json'])).stdout).length;
}

describe('fax send to several recipients against faxd', () => {
  it('--to three times --wait --json: every job completed, a progress line per job, exit 0', async () => {
    const args = ['send', 'note.txt', '--to', '5550101', '--to', '5550102', '--to', '5550103', '--wait', '--json'];
    const sent = await fax(args);
    assert.equal(sent.status, 0, sent.stderr);
    const result = JSON.parse(sent.stdout);
    assert.deepEqual(Object.keys(result), ['broadcastId', 'jobIds', 'jobs']);
    assert.equal(result.jobIds.length, 3);
    assert.deepEqual(
      result.jobs.map((job: { jobId: string }) => job.jobId),
      result.jobIds,
    );
    for (const job of result.jobs) {
      assert.deepEqual(Object.keys(job), FAX_JOB_STATUS_PROPERTIES);
      assert.ok(isFaxJobStatus(job), JSON.stringify(job));
      assert.equal(job.status, S.fjsCOMPLETED);
    }
    // Not a terminal: a line each time a job's state changes, each job's last one saying it completed.
    const lines = sent.stderr.trimEnd().split('\n');
    for (const jobId of result.jobIds) {
      const ofJob = lines.filter((line) => line.startsWith(`job ${jobId}: `));
      assert.ok(ofJob.length >= 2, sent.stderr);
      assert.equal(ofJob.at(-1), `job ${jobId}: completed (call completed), page 1 of 1`);
    }
    const view = await fax(['broadcast', result.broadcastId, '--json']);
    assert.equal(view.status, 0, view.stderr);
    const broadcast = JSON.parse(view.stdout);
    assert.deepEqual(broadcast.counts, { queued: 0, inProgress: 0, completed: 3, failed: 0, canceled: 0 });
    assert.deepEqual(
      broadcast.recipients.map((r: { jobId: string; number: string }) => [r.jobId, r.number]),
      result.jobIds.map((jobId: string, i: number) => [jobId, `555010${i + 1}`]),
    );
    // `fax job ID --json` keeps exactly its shape for a job of a broadcast.
    const job = await fax(['job', result.jobIds[0], '--json']);
    assert.deepEqual(Object.keys(JSON.parse(job.stdout)), FAX_JOB_STATUS_PROPERTIES);
    const human = await fax(['broadcast', result.broadcastId]);
    assert.match(
      human.stdout,
      new RegExp(`^broadcast ${result.broadcastId}, submitted \\S+Z: 3 recipients, 3 completed$`, 'm'),
    );
    assert.match(human.stdout, /^JOB\s+NUMBER\s+NAME\s+STATUS$/m);
    assert.match(human.stdout, new RegExp(`^${result.jobIds[2]}\\s+5550103\\s+-\\s+completed$`, 'm'));
  });

  it('--recipients FILE.csv with a header and quoted fields: --to first, then the rows, names as written', async () => {
    const list = file(
      'suppliers.csv',
      'Number,Name\r\n+1 555 0201,Northwind Traders\r\n"555-0202","Contoso Pharmacy, Main St"\r\n' +
        '5550203,"The ""Grand"" Hotel"\r\n\r\n5550204\r\n',
    );
    const sent = await fax(['send', 'note.txt', '--to', '5550200', '--recipients', list, '--at', LATER]);
    assert.equal(sent.status, 0, sent.stderr);
    const [heading, header, ...rows] = sent.stdout.trimEnd().split('\n');
    const broadcastId = /^broadcast (\S+)$/.exec(heading)?.[1];
    assert.ok(broadcastId, sent.stdout);
    assert.match(header, /^JOB\s+NUMBER\s+NAME$/);
    assert.equal(rows.length, 5);
    assert.match(rows[2], /^\S+\s+555-0202\s+Contoso Pharmacy, Main St$/);

    const jobs = await jobsOf(broadcastId);
    const byId = new Map(jobs.map((job) => [job.jobId, job]));
    assert.deepEqual(
      rows.map((row) => {
        const job = byId.get(row.split(/\s+/)[0]);
        return [job?.recipientNumber, job?.recipientName, job?.broadcastId];
      }),
      [
        ['5550200', '', broadcastId],
        ['+1 555 0201', 'Northwind Traders', broadcastId],
        ['555-0202', 'Contoso Pharmacy, Main St', broadcastId],
        ['5550203', 'The "Grand" Hotel', broadcastId],
        ['5550204', '', broadcastId],
      ],
    );
    const table = await fax(['jobs', '--broadcast', broadcastId]);
    assert.match(
      table.stdout,
      /^JOB\s+DIR\s+PRI\s+STATUS\s+DETAIL\s+PAGE\s+LINE\s+TRIES\s+NUMBER\s+SCHEDULED\s+BROADCAST$/m,
    );
    assert.equal(table.stdout.trimEnd().split('\n').length, 6);
    assert.ok(
      table.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .every((line) => line.endsWith(`  ${broadcastId}`)),
    );

    const canceled = await fax(['broadcast', broadcastId, '--cancel', '--json']);
    assert.equal(canceled.status, 0, canceled.stderr);
    assert.deepEqual(JSON.parse(canceled.stdout).counts, {
      queued: 0,
      inProgress: 0,
      completed: 0,
      failed: 0,
      canceled: 5,
    });
  });

  it('a bad row: a message naming the file and line, exit 1, and nothing queued', async () => {
    const before = await allJobCount();
    const cases: [string, string, string][] = [
      [
        'fields.csv',
        'number,name\n5550301,Ann\n5550302,Bob,Extra\n',
        'fax: fields.csv line 3: 3 fields where number,name was expected\n',
      ],
      ['quote.csv', '5550301,"Ann\n5550302,Bob\n', 'fax: quote.csv line 1: a quoted field is not closed\n'],
      [
        'number.csv',
        'number,name\n5550301,Ann\n\n555-03O2,Bob\n',
        'fax: number.csv line 4: Not a fax number that can be dialed: 555-03O2\n',
      ],
      [
        'same.csv',
        '5550301,Ann\n555 0301,Ann again\n',
        'fax: same.csv line 1 and same.csv line 2 are the same fax number: 5550301\n',
      ],
    ];
    for (const [name, text, message] of cases) {
      const result = await fax(['send', 'note.txt', '--to', '5550300', '--recipients', file(name, text)]);
      assert.equal(result.status, 1, name);
      assert.equal(result.stdout, '', name);
      assert.equal(result.stderr, message, name);
    }
    const named = await fax(['send', 'note.txt', '--to', '5550301', '--to', '5550302', '--recipient', 'Ann']);
    assert.equal(named.status, 1);
    assert.match(named.stderr, /^fax: --recipient names the one recipient of --to; .*--recipients FILE\.csv\n$/);
    assert.equal(await allJobCount(), before);
  });

  it('fax broadcast ID --cancel while fax send --wait follows it: every job canceled, send exits 1', async () => {
    const send = new FaxProcess(['send', 'note.txt', '--to', '5550401', '--to', '5550402', '--at', LATER, '--wait'], {
      url: faxd.url,
      cwd: workDir,
    });
    await send.until((s) => /^broadcast \S+\n(.*\n){3}/.test(s.stdout));
    const broadcastId = /^broadcast (\S+)$/m.exec(send.stdout)?.[1] as string;
    const canceled = await fax(['broadcast', broadcastId, '--cancel']);
    assert.equal(canceled.status, 0, canceled.stderr);
    assert.match(
      canceled.stdout,
      new RegExp(`^broadcast ${broadcastId}, submitted \\S+: 2 recipients, 2 canceled$`, 'm'),
    );
    assert.equal(await send.exited, 1);
    assert.match(
      send.stderr,
      new RegExp(
        `fax: 2 of 2 jobs of broadcast ${broadcastId} were not sent \\(job \\S+: canceled.*; job \\S+: canceled.*\\)\\n$`,
      ),
    );
    const missing = await fax(['broadcast', 'no-such-broadcast']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, 'fax: No broadcast with id no-such-broadcast\n');
  });
});
