// Several faxd processes on one PostgreSQL database and one data directory: a job submitted on a node without a line
// that may send is sent by the node that has one; that node killed (SIGKILL) mid-call, its job is taken over after
// the lease and sent by another node, the far end holding exactly one complete copy; restarted under the same nodeId,
// it serves its line again; every node lists every live node's lines; a node cannot start on a line id a live node
// serves; and a cancel on one node hangs up the call another node runs. (Fencing, a node stopped past its lease:
// cluster-fencing.test.ts, a file of its own so the two clusters run side by side.)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { CLUSTER_JOB_MS, callsOfJob, letter, onPage2, submit, TestCluster } from '../testing/faxd-cluster.js';
import { finalJob, type JsonBody, requestJson, waitFor } from '../testing/faxd-fixture.js';
import { startFaxdProcess } from '../testing/faxd-process.js';

/** Rows of the header band at fine resolution, which differ between attempts (the time is in it). */
const HEADER_ROWS = 39;

describe('faxd nodes sharing one PostgreSQL', () => {
  let cluster: TestCluster | undefined;
  after(() => cluster?.dispose());

  it('dispatches to the node with a free line, and takes a killed node’s call over after its lease', async () => {
    cluster = await TestCluster.open();
    const { receiver } = cluster;
    const a = await cluster.start('a');
    let c = await cluster.start('c');

    // Only C has a line that may send: a job submitted on A is C's to send.
    const first = await submit(a, letter('First', 1));
    const firstJob = await finalJob(a.url, first, CLUSTER_JOB_MS);
    assert.equal(firstJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(firstJob.deviceId, 5);

    // C killed on page 2 of a three-page job: no node may send it until B, with a line that may, joins.
    const text = letter('Second', 3);
    const second = await submit(a, text);
    await onPage2(a, second);
    c.child.kill('SIGKILL');
    await new Promise((resolve) => c.child.once('exit', resolve));
    const b = await cluster.start('b');
    const secondJob = await finalJob(b.url, second, CLUSTER_JOB_MS);
    assert.equal(secondJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(secondJob.deviceId, 3, 'sent by node B once C’s lease lapsed');
    const retried = 'the call cut by the kill counts as a retry';
    assert.equal(secondJob.retries, 1, `${retried}; ${await callsOfJob(second, receiver, [a, b, c])}`);

    // The far end holds one complete copy of each job, and the second is its document.
    const inbox = await waitFor('both complete receptions to be stored', async () => {
      const messages = (await requestJson(receiver.url, '/v1/inbox')).body as JsonBody[];
      return messages.filter((m) => !m.partial).length >= 2 ? messages : undefined;
    });
    const complete = inbox.filter((m) => !m.partial);
    assert.deepEqual(complete.map((m) => m.tsid).sort(), ['NODE-B', 'NODE-C']);
    assert.ok(inbox.filter((m) => m.partial).length <= 1, 'at most the cut call, kept as partial');
    const fromB = complete.find((m) => m.tsid === 'NODE-B');
    assert.equal(fromB.pages, 3);
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(text)), { paper: 'a4' });
    libtiffPages(receiver.service.files.inboxFax(fromB.id, 'tif'), 3).forEach((page, i) => {
      const below = (p: BilevelPage) => p.data.subarray(HEADER_ROWS * p.stride);
      assert.deepEqual(below(page), below(sent[i] as BilevelPage), `page ${i + 1}`);
    });

    // C restarted under its nodeId serves line 5 again; another node cannot take line 5 while C is live.
    c = await cluster.start('c');
    // Every node lists every live node's lines, each with the node that owns it.
    const ports = (await requestJson(b.url, '/v1/ports')).body as JsonBody[];
    assert.deepEqual(
      ports.map((port) => [port.deviceId, port.nodeId, port.send]),
      [
        [1, 'a', false],
        [3, 'b', true],
        [5, 'c', true],
      ],
    );
    assert.equal((await requestJson(a.url, '/v1/ports/5')).body.nodeId, 'c');
    const third = await submit(b, letter('Third', 1), { line: 5 });
    const thirdJob = await finalJob(a.url, third, CLUSTER_JOB_MS);
    assert.equal(thirdJob.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(thirdJob.deviceId, 5);
    await assert.rejects(startFaxdProcess(await cluster.config('d')), /line 5 is served by node "c", which is live/);

    // A cancel on node B hangs up the call node C runs.
    const fourth = await submit(a, letter('Fourth', 3), { line: 5 });
    await onPage2(a, fourth);
    assert.equal((await requestJson(b.url, `/v1/jobs/${fourth}/cancel`, { method: 'POST' })).status, 200);
    const canceled = await finalJob(a.url, fourth, CLUSTER_JOB_MS);
    assert.equal(canceled.status, FAX_JOB_STATUS_ENUM.fjsCANCELED);
    assert.ok(canceled.currentPage < 3, 'hung up before the last page');
  });
});
