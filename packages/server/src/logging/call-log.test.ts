// faxd's structured log (issue 16 item 4) from a real `faxd` process: a fax sent over the default loopback pair, then
// its stdout read line by line. Apart from the command's own start and stop lines, every line is a JSON record; every
// line that names the outbound job carries its jobId and line 1, every line of its reception its jobId and line 2.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { type JsonBody, requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';

interface LogRecord {
  readonly level: number;
  readonly time: string;
  readonly msg: string;
  readonly jobId?: string;
  readonly lineId?: number;
  readonly direction?: string;
  readonly status?: string;
  readonly currentPage?: number;
  readonly component?: string;
}

/** Every line of the call about `jobId`: all of them carry it and `lineId`; the call was placed or answered and ended. */
function checkCall(lines: readonly string[], jobId: string, lineId: number): LogRecord[] {
  const naming = lines.filter((line) => line.includes(jobId));
  const records = naming.map((line) => JSON.parse(line) as LogRecord);
  for (const record of records) {
    assert.equal(record.jobId, jobId, `a line naming ${jobId} carries it: ${JSON.stringify(record)}`);
    assert.equal(record.lineId, lineId, `a line of ${jobId}'s call carries line ${lineId}: ${JSON.stringify(record)}`);
  }
  const messages = records.map((record) => record.msg);
  assert.ok(messages.includes(lineId === 1 ? 'call placed' : 'call answered'), messages.join(', '));
  assert.equal(messages.at(-1), 'call ended');
  assert.equal(records.at(-1)?.status, 'fjsCOMPLETED');
  return records;
}

describe("faxd's log on stdout", () => {
  let directory: string;
  let faxd: FaxdProcess | undefined;
  after(async () => {
    faxd?.child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });

  it('is JSON lines, and every line of a call carries its job and its line', async () => {
    directory = await mkdtemp(join(tmpdir(), 'faxd-log-'));
    const config = await writeFaxdConfig(directory, { dataDir: join(directory, 'var'), log: { level: 'info' } });
    const running = await startFaxdProcess(config);
    faxd = running;
    const jobId = await submitText(running.url, 'Logged.\n\fPage two.\n', '2');
    // Polled without the job's id in the URL, so no request line names it.
    const job = await waitFor('the job to end', async () => {
      const jobs = (await requestJson(running.url, '/v1/jobs?all=true')).body as JsonBody[];
      const found = jobs.find((j) => j.jobId === jobId);
      return found && isFinal(found.status) ? found : undefined;
    });
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    await waitFor('the fax in the inbox', async () => {
      const inbox = (await requestJson(running.url, '/v1/inbox')).body as JsonBody[];
      return inbox.length === 1 ? true : undefined;
    });
    running.child.kill('SIGTERM');
    assert.equal(await new Promise((resolve) => running.child.once('exit', resolve)), 0);
    faxd = undefined;

    const lines = running
      .stdout()
      .split('\n')
      .filter((line) => line !== '');
    const plain = lines.filter((line) => !line.startsWith('{'));
    assert.equal(plain.length, 2, `only the command's own lines are plain: ${plain.join(' | ')}`);
    assert.match(plain[0] ?? '', /^faxd listening on http:\/\/127\.0\.0\.1:\d+; ports: 1 /);
    assert.equal(plain[1], 'faxd: stopping');
    const json = lines.filter((line) => line.startsWith('{'));
    const records = json.map((line) => JSON.parse(line) as LogRecord);
    for (const record of records) {
      assert.equal(typeof record.level, 'number');
      assert.ok(!Number.isNaN(Date.parse(record.time)), `an ISO time: ${record.time}`);
      assert.equal(typeof record.msg, 'string');
    }
    assert.ok(
      records.some((record) => record.component === 'http'),
      'the API logs through the same root',
    );

    const sent = checkCall(json, jobId, 1);
    assert.ok(sent.some((record) => record.currentPage === 2, 'page 2 went out'));
    const received = records.filter((record) => record.direction === 'incoming');
    const receptions = [...new Set(received.map((record) => record.jobId))];
    assert.equal(receptions.length, 1, 'one reception');
    checkCall(json, receptions[0] as string, 2);
  });
});
