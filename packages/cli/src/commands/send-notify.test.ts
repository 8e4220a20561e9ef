// `fax send --notify ADDRESS` (issue 15) against a real faxd that mails through aiosmtpd, with a pair of sandbox lines
// (the real T.30 engine on a virtual clock, no real-time waiting): the fax is sent and its delivery report reaches
// ADDRESS (sandbox line 1 reaches line 2 for every number these tests dial); to several recipients, each job's report
// does; without --notify no mail is owed; an address that is not one is refused before anything is queued.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { waitFor } from '@faxd/server/testing/faxd-fixture';
import { type SmtpSink, startSmtpSink } from '@faxd/server/testing/smtp-sink';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';
import { runFax } from '../testing/fax-process.js';

const S = FAX_JOB_STATUS_ENUM;

let faxd: RunningFaxd;
let sink: SmtpSink;
let workDir: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'faxd-cli-notify-'));
  writeFileSync(join(workDir, 'note.txt'), 'A note whose delivery report is mailed.\n');
  mkdirSync(join(workDir, 'relay'));
  sink = await startSmtpSink(join(workDir, 'relay'));
  faxd = await startFaxd({
    listen: '127.0.0.1:0',
    dataDir: join(workDir, 'var'),
    ...(await inProcessTestKeys(join(workDir, 'var'))),
    smtp: { host: '127.0.0.1', port: sink.port, from: 'faxd@fax.example' },
    lines: [
      { id: 1, name: 'Out', kind: 'sandbox', peer: 2, tsid: '+1 555 0101' },
      { id: 2, name: 'In', kind: 'sandbox', peer: 1, csid: '+1 555 0102' },
    ],
  });
});

after(async () => {
  await faxd.close();
  await sink.stop();
  rmSync(workDir, { recursive: true, force: true });
});

function fax(args: readonly string[]) {
  return runFax(args, { url: faxd.url, cwd: workDir });
}

/** The recipients of the mail about `jobId` once the relay has it. */
async function reportRecipients(jobId: string): Promise<string[]> {
  const mail = await waitFor(`the report on ${jobId} at the relay`, async () =>
    (await sink.mails()).find((each) => each.text.includes(`Job:        ${jobId}`)),
  );
  return mail.rcptTos;
}

describe('fax send --notify against faxd', () => {
  it('mails the delivery report of a sent fax to the address', async () => {
    const result = await fax(['send', 'note.txt', '--to', '2', '--line', '1', '--notify', 'ops@example.com', '--wait']);
    assert.equal(result.status, 0, result.stderr);
    const jobId = result.stdout.trim();
    assert.deepEqual(await reportRecipients(jobId), ['ops@example.com']);
    assert.equal((await faxd.service.mail.list({ sourceId: jobId }))[0]?.kind, 'report');
  });

  it("mails each broadcast job's report", async () => {
    const args = [
      'send',
      'note.txt',
      '--to',
      '5550101',
      '--to',
      '5550102',
      '--line',
      '1',
      '--notify',
      'team@example.org',
    ];
    const result = await fax([...args, '--wait', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const { jobIds, jobs } = JSON.parse(result.stdout) as { jobIds: string[]; jobs: { status: number }[] };
    assert.deepEqual(
      jobs.map((job) => job.status),
      [S.fjsCOMPLETED, S.fjsCOMPLETED],
    );
    for (const jobId of jobIds) assert.deepEqual(await reportRecipients(jobId), ['team@example.org']);
  });

  it('owes no mail without --notify, and refuses an address that is not one', async () => {
    const plain = await fax(['send', 'note.txt', '--to', '2', '--line', '1', '--wait']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(await faxd.service.mail.list({ sourceId: plain.stdout.trim() }), []);
    const before = (await fax(['jobs', '--all', '--json'])).stdout;
    const bad = await fax(['send', 'note.txt', '--to', '2', '--notify', 'not an address']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /notify/);
    assert.equal((await fax(['jobs', '--all', '--json'])).stdout, before);
  });
});
