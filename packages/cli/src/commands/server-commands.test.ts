// The `fax` commands for a faxd server (DESIGN.md §3) against a real faxd with two loopback lines: exact --json
// shapes, a two-page note sent from port 1 to port 2 with --wait while `fax watch --json` records the events, job
// operations, the inbox, and the exit status and message of each kind of failure.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_STATUS_PROPERTIES,
  FAX_STATUS_PROPERTIES,
  isFaxJobStatus,
  isFaxServerEvent,
  isFaxStatus,
} from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import { type RunningFaxd, startFaxd } from '@faxd/server';
import { inProcessTestKeys } from '@faxd/server/testing/test-store';
import { FaxProcess, runFax } from '../testing/fax-process.js';

const S = FAX_JOB_STATUS_ENUM;

let faxd: RunningFaxd;
let dataDir: string;
let workDir: string;
/** A two-page note of a line each: a short real-time call keeps the file fast (the README sends samples/letter.pdf). */
let note: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'faxd-cli-server-'));
  workDir = mkdtempSync(join(tmpdir(), 'faxd-cli-work-'));
  note = join(dataDir, 'note.txt');
  writeFileSync(note, 'A note sent by the fax command line tests.\n\fIts second page.\n');
  faxd = await startFaxd({ listen: '127.0.0.1:0', dataDir, ...(await inProcessTestKeys(dataDir)) });
});

after(async () => {
  await faxd.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

function faxProcess(args: readonly string[], env?: Readonly<Record<string, string>>): FaxProcess {
  return new FaxProcess(args, { url: faxd.url, cwd: workDir, env });
}

function fax(args: readonly string[], env?: Readonly<Record<string, string>>) {
  return runFax(args, { url: faxd.url, cwd: workDir, env });
}

/** The job sent by the --wait test, which later tests look at. */
let sentJobId: string;

describe('fax commands against faxd', () => {
  it('fax ports --json: one FaxStatus per port, in port order, with exactly the 19 properties', async () => {
    const result = await fax(['ports', '--json']);
    assert.equal(result.status, 0, result.stderr);
    const ports = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      ports.map((port) => port.deviceId),
      [1, 2],
    );
    for (const port of ports) {
      assert.deepEqual(Object.keys(port), FAX_STATUS_PROPERTIES);
      assert.ok(isFaxStatus(port), JSON.stringify(port));
      assert.equal(port.send, false);
      assert.equal(port.currentPage, null);
    }
  });

  it('fax ports: a table with a row per port', async () => {
    const result = await fax(['ports']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^PORT\s+NAME\s+STATUS\s+PAGE\s+REMOTE\s+DOCUMENT\s+ELAPSED\s+CALL$/);
    assert.match(lines[1], /^\s+1\s+Loopback 1\s+Available\s/);
    assert.match(lines[2], /^\s+2\s+Loopback 2\s+Available\s/);
  });

  it('fax send --wait --json sends a note while fax watch --json shows its events', async () => {
    const watch = faxProcess(['watch', '--json']);
    await watch.until((w) => w.stderr.includes('watching'));
    const sent = await fax(['send', note, '--to', '2', '--recipient', 'Ann Example', '--wait', '--json']);
    assert.equal(sent.status, 0, sent.stderr);
    const final = JSON.parse(sent.stdout);
    assert.deepEqual(Object.keys(final), FAX_JOB_STATUS_PROPERTIES);
    assert.ok(isFaxJobStatus(final), sent.stdout);
    assert.equal(final.status, S.fjsCOMPLETED);
    assert.equal(final.pages, 2);
    sentJobId = final.jobId;
    // Not a terminal: one progress line per change, ending with the completed job.
    assert.match(sent.stderr, /page 1 of 2\n/);
    assert.match(sent.stderr, /page 2 of 2\n/);
    assert.match(sent.stderr, /: completed \(call completed\), page 2 of 2\n$/);

    await watch.until((w) => w.stdout.includes(`"event":"outgoingJobRemoved","jobId":"${sentJobId}"`));
    watch.child.kill('SIGINT');
    assert.equal(await watch.exited, 0, watch.stderr);
    const events = watch.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const event of events) assert.ok(isFaxServerEvent(event), JSON.stringify(event));
    const ofJob = events.filter((event) => event.jobId === sentJobId);
    assert.equal(ofJob[0].event, 'outgoingJobAdded');
    const changes = ofJob.filter((event) => event.event === 'outgoingJobChanged');
    assert.equal(changes[0].status.status, S.fjsPENDING);
    assert.deepEqual(changes.at(-1).status, final);
    assert.equal(ofJob.at(-1).event, 'outgoingJobRemoved');
    assert.ok(events.some((event) => event.event === 'incomingJobAdded'));
  });

  it('fax job ID --json: exactly jobId and the 17 FaxJobStatus properties; fax job ID for people', async () => {
    const result = await fax(['job', sentJobId, '--json']);
    assert.equal(result.status, 0, result.stderr);
    const job = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(job), FAX_JOB_STATUS_PROPERTIES);
    assert.equal(job.jobId, sentJobId);
    assert.equal(job.status, S.fjsCOMPLETED);
    const human = await fax(['job', sentJobId]);
    assert.match(human.stdout, /^status: +256 \(completed\)$/m);
    assert.match(human.stdout, /^recipient: +Ann Example$/m);
  });

  it('fax jobs --all --json: FaxJob objects; fax jobs: a table of the jobs still running', async () => {
    const all = await fax(['jobs', '--all', '--json']);
    assert.equal(all.status, 0, all.stderr);
    const jobs = JSON.parse(all.stdout) as Record<string, unknown>[];
    const job = jobs.find((j) => j.jobId === sentJobId);
    assert.ok(job);
    assert.equal(job.direction, 'outgoing');
    assert.equal(job.recipientNumber, '2');
    assert.equal(job.documentName, 'note.txt');
    const table = await fax(['jobs', '--all']);
    assert.match(table.stdout, /^JOB\s+DIR\s+PRI\s+STATUS\s+DETAIL\s+PAGE\s+LINE\s+TRIES\s+NUMBER\s+SCHEDULED$/m);
    assert.match(
      table.stdout,
      new RegExp(`^${sentJobId}\\s+out\\s+normal\\s+completed\\s+call completed\\s+2/2\\s`, 'm'),
    );
  });

  it('fax inbox --json lists the received fax; fax get writes it as TIFF or PDF', async () => {
    const inbox = await fax(['inbox', '--json']);
    assert.equal(inbox.status, 0, inbox.stderr);
    const [message] = JSON.parse(inbox.stdout);
    assert.equal(message.deviceId, 2);
    assert.equal(message.pages, 2);
    assert.equal(message.partial, false);
    assert.equal(message.badRows, 0);
    assert.equal((await fax(['get', message.id, '-o', 'fax.tif'])).status, 0);
    assert.equal(readTiff(readFileSync(join(workDir, 'fax.tif'))).length, 2);
    assert.equal((await fax(['get', message.id, '-o', 'fax.pdf'])).status, 0);
    assert.equal(readFileSync(join(workDir, 'fax.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
    const missing = await fax(['get', 'no-such-fax', '-o', 'other.pdf']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, 'fax: No fax with id no-such-fax in the archive\n');
    assert.deepEqual(readdirSync(workDir).sort(), ['fax.pdf', 'fax.tif']);
  });

  it('fax pause, resume and cancel act on a scheduled job; send --wait then exits 1', async () => {
    const send = faxProcess(['send', note, '--to', '2', '--at', '2099-01-01T00:00:00Z', '--wait']);
    await send.until((s) => s.stdout.includes('\n'));
    const jobId = send.stdout.trim();
    const paused = await fax(['pause', jobId]);
    assert.equal(paused.stdout, `job ${jobId}: pending, paused\n`);
    const again = await fax(['pause', jobId]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, new RegExp(`^fax: Cannot pause job ${jobId}: .+\\n$`));
    assert.equal((await fax(['resume', jobId])).stdout, `job ${jobId}: pending\n`);
    const canceled = await fax(['cancel', jobId, '--json']);
    assert.equal(JSON.parse(canceled.stdout).status, S.fjsCANCELED);
    assert.equal(await send.exited, 1);
    assert.match(send.stderr, new RegExp(`fax: job ${jobId} was not sent: canceled.*\\n$`));
  });

  it('fax send --at refuses a time that is not on the calendar before it reaches the server', async () => {
    const before = (await fax(['jobs', '--all', '--json'])).stdout;
    for (const at of ['2099-02-30T10:00:00Z', '2099-04-31T10:00', 'tomorrow']) {
      const result = await fax(['send', note, '--to', '2', '--at', at]);
      assert.equal(result.status, 1, at);
      assert.equal(
        result.stderr,
        `fax: --at must be an ISO 8601 time such as 2025-01-31T18:00:00Z, or discount (got "${at}")\n`,
      );
    }
    assert.equal((await fax(['jobs', '--all', '--json'])).stdout, before, 'no job was submitted');
  });

  it('an unknown job id: the server message and exit status 1', async () => {
    const result = await fax(['job', 'no-such-job', '--json']);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'fax: No job with id no-such-job\n');
  });

  it('a server that cannot be reached: a message naming its URL and exit status 1', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise((resolve) => probe.close(resolve));
    for (const args of [['ports', '--server', url], ['jobs']]) {
      const result = await fax(args, { FAXD_URL: url });
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `fax: cannot reach the fax server at ${url}: connection refused\n`);
    }
    const bad = await fax(['inbox', '--server', 'ftp://example']);
    assert.equal(bad.stderr, 'fax: the server URL must start with http:// or https:// (got "ftp://example")\n');
  });
});
