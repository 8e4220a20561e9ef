// Fencing between faxd processes on one PostgreSQL database: a node stopped (SIGSTOP) past its lease and continued
// cannot record anything of the job another node took over meanwhile, and carries on as a live node afterwards.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { CLUSTER_JOB_MS, letter, onPage2, submit, TestCluster } from '../testing/faxd-cluster.js';
import { finalJob, requestJson, waitFor } from '../testing/faxd-fixture.js';

describe('faxd nodes sharing one PostgreSQL: fencing', () => {
  let cluster: TestCluster | undefined;
  after(() => cluster?.dispose());

  it('refuses every write of a node stopped past its lease to the job another node took over', async () => {
    cluster = await TestCluster.open();
    const a = await cluster.start('a');
    const c = await cluster.start('c');
    const jobId = await submit(a, letter('Stalled', 3));
    await onPage2(a, jobId);
    c.child.kill('SIGSTOP');
    const b = await cluster.start('b');
    await finalJob(b.url, jobId, CLUSTER_JOB_MS);
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
    const next = await finalJob(a.url, await submit(b, letter('After', 1), { line: 5 }), CLUSTER_JOB_MS);
    assert.equal(next.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(next.deviceId, 5);
  });
});
