// Retries: an attempt toward a peer that is not there fails with no answer and is retried after the delay (on the
// sender's manual clock; the calls themselves run in real time); the retry reaches the peer once it listens. And a
// start after a crash settles every job the last run left unfinished.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, FAX_JOB_TYPE_ENUM, isFinal } from '@faxd/contract';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { ManualClock } from '../testing/manual-clock.js';
import { openTestStore } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

describe('a job whose first attempt finds nobody', () => {
  const servers: TestFaxd[] = [];
  after(() => Promise.all(servers.map((server) => server.dispose())));

  it('is retried after the delay and completes once the peer listens', async () => {
    const [senderPort, receiverPort] = [await freeUdpPort(), await freeUdpPort()];
    const line = (bind: number, peer: number) => ({
      id: 1,
      kind: 't38',
      bind: `127.0.0.1:${bind}`,
      peer: `127.0.0.1:${peer}`,
    });
    const clock = new ManualClock();
    const sender = await startTestFaxd(
      { outboundQueue: { retries: 2, retryDelaySeconds: 3 }, lines: [line(senderPort, receiverPort)] },
      undefined,
      { clock },
    );
    servers.push(sender);
    const jobId = await submitText(sender.url, 'One page.\n');
    const retrying = await waitFor('the first attempt to fail', async () => {
      const job = (await requestJson(sender.url, `/v1/jobs/${jobId}`)).body;
      return job.status === S.fjsRETRYING ? job : undefined;
    });
    assert.equal(retrying.extendedStatusCode, X.fjesNO_ANSWER);
    assert.equal(retrying.retries, 1);
    assert.equal(retrying.lastError, 'T1-expired');
    assert.ok(Date.parse(retrying.scheduledTime) > Date.parse(retrying.transmissionEnd), 'the retry waits its delay');
    servers.push(await startTestFaxd({ lines: [line(receiverPort, senderPort)] }));
    clock.advance(2999);
    await sender.service.queueSettled();
    assert.equal((await requestJson(sender.url, `/v1/jobs/${jobId}`)).body.status, S.fjsRETRYING, 'still waiting');
    clock.advance(1);
    const done = await waitFor('the retry to complete', async () => {
      const job = (await requestJson(sender.url, `/v1/jobs/${jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    });
    assert.equal(done.status, S.fjsCOMPLETED);
    assert.equal(done.retries, 1);
  });
});

describe('a start after a crash', () => {
  let dataDir = '';
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('completes a job whose pages were all confirmed, retries or ends the others, fails a cut reception', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-recover-'));
    const first = await startTestFaxd({}, dataDir);
    await requestJson(first.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const submit = () => submitText(first.url, 'One page.\n');
    const [confirmed, interrupted, spent] = [await submit(), await submit(), await submit()];
    await first.close();

    // What a kill in the middle of three calls and a reception leaves in the store.
    const db = await openTestStore(dataDir);
    const inProgress = { status: S.fjsINPROGRESS, extended_status: X.fjesTRANSMITTING, current_page: 1, device_id: 1 };
    await db
      .updateTable('jobs')
      .set({ ...inProgress, confirmed_pages: 1 })
      .where('id', '=', confirmed)
      .execute();
    await db.updateTable('jobs').set(inProgress).where('id', '=', interrupted).execute();
    await db
      .updateTable('jobs')
      .set({ ...inProgress, retries: 3, max_retries: 3 })
      .where('id', '=', spent)
      .execute();
    const incoming = await db.selectFrom('jobs').selectAll().where('id', '=', confirmed).executeTakeFirstOrThrow();
    await db
      .insertInto('jobs')
      .values({
        ...incoming,
        id: 'cutreception',
        direction: 'incoming',
        job_type: FAX_JOB_TYPE_ENUM.fjtRECEIVE,
        extended_status: X.fjesRECEIVING,
      })
      .execute();
    await db.destroy();

    const second = await startTestFaxd({}, dataDir);
    try {
      const job = async (id: string) => (await requestJson(second.url, `/v1/jobs/${id}`)).body;
      const done = await job(confirmed);
      assert.equal(done.status, S.fjsCOMPLETED, 'a confirmed job is never sent again');
      assert.equal(done.retries, 0);
      const retried = await job(interrupted);
      assert.equal(retried.retries, 1, 'the interrupted attempt counts as a retry');
      assert.equal(retried.status, S.fjsRETRYING, 'waiting for the paused queue');
      assert.equal((await job(spent)).status, S.fjsRETRIES_EXCEEDED);
      const cut = await job('cutreception');
      assert.equal(cut.status, S.fjsFAILED);
      assert.equal(cut.extendedStatusCode, X.fjesCALL_ABORTED);
      const calls = second.events.filter(
        (e) => e.event === 'outgoingJobChanged' && e.status.status === S.fjsINPROGRESS,
      );
      assert.deepEqual(calls, [], 'the paused queue dialled nothing');
    } finally {
      await second.close();
    }
  });
});
