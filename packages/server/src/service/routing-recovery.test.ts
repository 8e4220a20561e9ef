// faxd killed (SIGKILL) while received faxes wait in fjsROUTING for the inbox to take them, or in the middle of a
// reception, then started again on the same data directory: the start rebuilds each fax from the page files the
// reception stored before confirming them, routes it to the inbox pixel for pixel as the call's end would have (a cut
// call's pages as a partial reception), and ends a reception whose pages cannot be read back saying so. The faxes
// killed while waiting to be routed come over a sandbox pair (their calls are over before the kill, so they need no
// line time); those killed mid-reception over real-time loopback lines, so the kill falls while the call is under way.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { type BilevelPage, readTiff, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { type JsonBody, requestJson, waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { openTestStore } from '../testing/test-store.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

describe('faxd killed while a received fax is being routed', () => {
  let base = '';
  let dataDir = '';
  let config = '';
  let faxd: FaxdProcess | undefined;
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd?.url ?? '', path, init);
  const inbox = () => join(dataDir, 'inbox');
  const jobDirectory = (jobId: string) => join(dataDir, 'jobs', jobId);
  const pageFiles = async (jobId: string) =>
    (await readdir(jobDirectory(jobId))).filter((name) => /^page-\d+\.tif$/.test(name)).sort();

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'faxd-routing-'));
    dataDir = join(base, 'var');
    config = await writeFaxdConfig(base, {
      dataDir,
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
    faxd?.child.kill('SIGKILL');
    if (base) await rm(base, { recursive: true, force: true });
  });

  /**
   * Sends `text` from sandbox port 1 to port 2 with the inbox's place taken by a plain file, so that the fax waits in
   * fjsROUTING (its write tried again every 10 s), then kills faxd: the reception's job as it was then.
   */
  async function receiveAndKill(text: string): Promise<JsonBody> {
    await rm(inbox(), { recursive: true, force: true });
    await writeFile(inbox(), 'not a directory');
    const documents = [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }];
    const sent = await api('/v1/jobs', { method: 'POST', body: { to: '2', line: 1, documents } });
    assert.equal(sent.status, 201);
    const outgoing = await waitFor('the fax to be sent', async () => {
      const job = (await api(`/v1/jobs/${sent.body.jobId}`)).body;
      return isFinal(job.status) || job.status === S.fjsRETRYING ? job : undefined;
    });
    assert.equal(outgoing.status, S.fjsCOMPLETED, 'the sender was told every page arrived');
    const waiting = await waitFor('the reception to wait for the inbox', async () => {
      const jobs = (await api('/v1/jobs?direction=incoming')).body as JsonBody[];
      return jobs.find((job) => job.status === S.fjsROUTING);
    });
    const killed = faxd?.child;
    killed?.kill('SIGKILL');
    await new Promise((resolve) => killed?.once('exit', resolve));
    await rm(inbox());
    return waiting;
  }

  it('routes the fax rebuilt from its stored pages at the next start, pixel for pixel', async () => {
    const job = await receiveAndKill('Page one, to be routed after a restart.\n\fPage two.\n');
    assert.deepEqual(await pageFiles(job.jobId), ['page-1.tif', 'page-2.tif']);
    const stored = await Promise.all(
      (await pageFiles(job.jobId)).map(
        async (name) => readTiff(await readFile(join(jobDirectory(job.jobId), name)))[0]?.page as BilevelPage,
      ),
    );

    faxd = await startFaxdProcess(config);
    const done = (await api(`/v1/jobs/${job.jobId}`)).body;
    assert.equal(done.status, S.fjsCOMPLETED, 'routed as the end of its call routes a fax');
    assert.equal(done.pages, 2);
    const messages = (await api('/v1/inbox')).body as JsonBody[];
    assert.deepEqual(
      messages.map((message) => [message.id, message.pages, message.partial, message.tsid]),
      [[job.jobId, 2, false, '+1 555 0101']],
    );
    const inboxPages = libtiffPages(join(inbox(), `${job.jobId}.tif`), 2);
    for (const [i, page] of inboxPages.entries()) {
      assert.ok(samePixels(page, stored[i] as BilevelPage), `inbox page ${i + 1} is the stored page`);
    }
    assert.ok(existsSync(join(inbox(), `${job.jobId}.pdf`)));
    assert.equal(existsSync(jobDirectory(job.jobId)), false, 'its page files served their turn');
  });

  it('ends the reception failed, saying why, when no stored page can be read back', async () => {
    const job = await receiveAndKill('A page whose file will not read.\n');
    for (const name of await pageFiles(job.jobId)) await writeFile(join(jobDirectory(job.jobId), name), 'not a TIFF');

    faxd = await startFaxdProcess(config);
    const failed = (await api(`/v1/jobs/${job.jobId}`)).body;
    assert.equal(failed.status, S.fjsRETRIES_EXCEEDED, 'a routing job that cannot route waits to be deleted');
    assert.equal(failed.extendedStatusCode, X.fjesNONE);
    assert.match(failed.lastError, /^routing the fax failed: page 1 could not be read \(not a fax TIFF\)$/);
    assert.equal(existsSync(join(inbox(), `${job.jobId}.tif`)), false);
    assert.equal((await api('/v1/inbox')).body.length, 1, 'only the fax routed before');
  });

  for (const rowBehind of [false, true]) {
    const when = rowBehind ? ', its row not yet told of them' : '';
    it(`routes the pages a reception cut by the kill had stored as a partial reception${when}`, async () => {
      const text = Array.from({ length: 4 }, (_, i) => `Page ${i + 1} of a call cut short.\n`).join('\f');
      const documents = [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }];
      assert.equal((await api('/v1/jobs', { method: 'POST', body: { to: '4', line: 3, documents } })).status, 201);
      // Stored means written and synced: the job's Size grows only then.
      const job = await waitFor(
        'page 1 to be stored',
        async () => {
          const jobs = (await api('/v1/jobs?direction=incoming')).body as JsonBody[];
          return jobs.find((candidate) => candidate.status === S.fjsINPROGRESS && candidate.size > 0);
        },
        120_000,
        10,
      );
      const killed = faxd?.child;
      killed?.kill('SIGKILL');
      await new Promise((resolve) => killed?.once('exit', resolve));
      const names = await pageFiles(job.jobId);
      assert.ok(names.length >= 1 && names.length < 4, `${names}`);
      const stored = await Promise.all(
        names.map(
          async (name) => readTiff(await readFile(join(jobDirectory(job.jobId), name)))[0]?.page as BilevelPage,
        ),
      );

      if (rowBehind) {
        // The page's file written, the job's row not yet told of it (its update queued behind the file's write).
        const db = await openTestStore(dataDir);
        await db
          .updateTable('jobs')
          .set({ pages: 0, current_page: 0, size: 0, extended_status: X.fjesANSWERED })
          .where('id', '=', job.jobId)
          .execute();
        await db.destroy();
      }
      faxd = await startFaxdProcess(config);
      const done = (await api(`/v1/jobs/${job.jobId}`)).body;
      assert.equal(done.status, S.fjsCOMPLETED);
      assert.equal(done.extendedStatusCode, X.fjesPARTIALLY_RECEIVED);
      const message = (await api(`/v1/inbox/${job.jobId}`)).body;
      assert.equal(message.pages, names.length);
      assert.equal(message.partial, true);
      const inboxPages = libtiffPages(join(inbox(), `${job.jobId}.tif`), names.length);
      for (const [i, page] of inboxPages.entries()) {
        assert.ok(samePixels(page, stored[i] as BilevelPage), `inbox page ${i + 1} is the stored page`);
      }
      assert.equal(existsSync(jobDirectory(job.jobId)), false);
    });
  }
});
