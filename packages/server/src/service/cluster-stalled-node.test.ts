// A node that cannot renew its lease, on one PostgreSQL with another node: node C (in this process) sends a job, and
// its renewals are held back mid-call by a lock on its row in `nodes`, as a store that stops answering would hold them
// while C's lines run on. C hangs the call up before its lease lapses, so when node B sends the job again the far end
// holds exactly one copy of it (before, C's call ran to its end and the far end got two); given its renewals back, C
// takes up work again.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, type FaxServerEvent, isFinal } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import pg from 'pg';
import { loadDocumentPages } from '../documents/load-pages.js';
import { CLUSTER_JOB_MS, callsOfJob, letter, onPage2, submit, TestCluster } from '../testing/faxd-cluster.js';
import {
  finalJob,
  type JsonBody,
  requestJson,
  startTestFaxd,
  type TestFaxd,
  waitFor,
} from '../testing/faxd-fixture.js';

/** Rows of the header band at fine resolution, which differ between attempts (the time is in it). */
const HEADER_ROWS = 39;
/** Enough pages that the call outlasts the lease once page 2 has begun. */
const PAGES = 6;
/** A page below its header band: what every copy of it has the same. */
const belowHeader = (page: BilevelPage) => page.data.subarray(HEADER_ROWS * page.stride);

describe('faxd nodes sharing one PostgreSQL: a node that cannot renew its lease', () => {
  let cluster: TestCluster | undefined;
  let c: TestFaxd | undefined;
  let holder: pg.Client | undefined;
  after(async () => {
    await holder?.end();
    await c?.dispose();
    await cluster?.dispose();
  });

  it('hangs its call up before another node sends the job again: the far end holds one copy', async () => {
    cluster = await TestCluster.open();
    const { receiver } = cluster;
    const config = JSON.parse(await readFile(await cluster.config('c'), 'utf8'));
    c = await startTestFaxd(config);
    // When C's line 5 is free again, as C's clock (this process's) tells it.
    const freedAt: number[] = [];
    c.service.hub.subscribe(0x3ff, (event: FaxServerEvent) => {
      if (event.event === 'deviceStatusChange' && event.deviceId === 5 && !event.sending) freedAt.push(Date.now());
    });

    const text = letter('Stalled', PAGES);
    const jobId = await submit(c, text);
    await onPage2(c, jobId);
    const b = await cluster.start('b');
    // C's renewals wait behind this lock from now on; its other writes go through.
    holder = new pg.Client({ connectionString: config.store.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query(`select id from nodes where id = 'c' for update`);
    const freedBefore = freedAt.length;

    const job = await finalJob(b.url, jobId, CLUSTER_JOB_MS);
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(job.deviceId, 3, 'sent again by node B');
    const retried = 'the call C hung up counts as a retry';
    assert.equal(job.retries, 1, `${retried}; ${await callsOfJob(jobId, receiver, [b])}`);
    await holder.query('rollback');

    // The far end: one whole copy, node B's, of the job's pages; C's cut call at most a partial fax short of pages.
    const inbox = await waitFor('the far end to keep what node C’s cut call brought', async () => {
      const busy = ((await requestJson(receiver.url, '/v1/jobs?direction=incoming')).body as JsonBody[]).some(
        (reception) => !isFinal(reception.status),
      );
      const messages = (await requestJson(receiver.url, '/v1/inbox')).body as JsonBody[];
      return !busy && messages.some((m) => m.tsid === 'NODE-C') ? messages : undefined;
    });
    const complete = inbox.filter((m) => !m.partial);
    assert.deepEqual(
      complete.map((m) => m.tsid),
      ['NODE-B'],
      'exactly one whole copy, node B’s',
    );
    const fromC = inbox.filter((m) => m.tsid === 'NODE-C');
    assert.equal(fromC.length, 1);
    assert.ok(fromC[0].partial && fromC[0].pages < PAGES, `C's call delivered ${fromC[0].pages} pages, partial`);
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(text)), { paper: 'a4' });
    for (const message of [complete[0], fromC[0]]) {
      libtiffPages(receiver.service.files.inboxFax(message.id, 'tif'), message.pages).forEach((page, i) => {
        assert.deepEqual(belowHeader(page), belowHeader(sent[i] as BilevelPage), `page ${i + 1} from ${message.tsid}`);
      });
    }
    assert.equal(complete[0].pages, PAGES);

    // B began sending it (the claim is the attempt's transmission start) only after C's line was free again.
    const hungUpAt = freedAt[freedBefore];
    assert.ok(hungUpAt !== undefined, 'node C hung its call up');
    assert.ok(
      hungUpAt < Date.parse(job.transmissionStart),
      `C hung up at ${new Date(hungUpAt).toISOString()}, B sent from ${job.transmissionStart}`,
    );

    // Its renewals answered again, C holds its lease and sends on its line.
    const next = await finalJob(c.url, await submit(b, letter('After', 1), { line: 5 }), CLUSTER_JOB_MS);
    assert.equal(next.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(next.deviceId, 5);
  });
});
