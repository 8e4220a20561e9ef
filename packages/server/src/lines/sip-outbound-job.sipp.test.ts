// Jobs sent through a SIP line whose callee is sipp: a T.38 answer pointing at SpanDSP's receiver (testdata/sipp/
// uas-t38-answer.xml) and a digest challenge before a busy answer (uas-digest-busy.xml, RFC 3261 §22.2).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { loadDocumentPages } from '../documents/load-pages.js';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { buildSpandspPeer, runSpandspPeer } from '../testing/spandsp-peer.js';

const execFileAsync = promisify(execFile);
const NOTE = 'Through sipp to SpanDSP.\n\fIts second page.\n';

describe('a job through a SIP line whose callee is sipp', () => {
  let sipp = '';
  let work = '';
  const servers: TestFaxd[] = [];
  before(async () => {
    sipp = requireTool('sipp');
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-sipp-job-'));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
    await rm(work, { recursive: true, force: true });
  });

  /** Starts sipp as the callee of scenario `name` on `port`; `keys` fill its [keyword]s. */
  async function runCallee(name: string, port: number, keys: Record<string, string | number> = {}) {
    const scenario = join(repoRoot(), 'packages/server/src/lines/testdata/sipp', name);
    const errors = join(work, `${name}.err`);
    const callee = execFileAsync(
      sipp,
      [
        ...['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '40s', '-nostdin'],
        ...['-trace_err', '-error_file', errors],
        ...Object.entries(keys).flatMap(([key, value]) => ['-key', key, String(value)]),
      ],
      { timeout: 60_000 },
    ).catch(async (error: Error) => {
      const log = await readFile(errors, 'utf8').catch(() => '');
      throw new Error(`sipp ${name} failed: ${error.message}\n${log.slice(-2000)}`);
    });
    // sipp needs a moment to bind before the INVITE goes out; its Timer A retransmission would cover a miss anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Wrapped, since an async function returning the promise itself would wait for sipp to finish.
    return { callee };
  }

  async function faxdWithSipLine(sippPort: number, media: number, sip: Record<string, unknown> = {}) {
    const sipPort = await freeUdpPort();
    const faxd = await startTestFaxd({
      // No header line, so what SpanDSP receives must equal the document exactly; a retry far enough away that a
      // failed attempt leaves the job waiting rather than calling again.
      outboundQueue: { headerTemplate: '', retries: 3, retryDelaySeconds: 3600 },
      lines: [
        {
          id: 1,
          kind: 'sip',
          sip: { listen: `127.0.0.1:${sipPort}`, numbers: ['100'], proxy: `sip:127.0.0.1:${sippPort}`, ...sip },
          mediaPorts: `${media}-${media}`,
        },
      ],
    });
    servers.push(faxd);
    return faxd;
  }

  it("completes when sipp answers with T.38 at SpanDSP's receiver, which gets the document pixel for pixel", async () => {
    const [sippPort, media, spandspPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const received = join(work, 'at-spandsp.tif');
    const spandsp = runSpandspPeer({
      mode: 'receive',
      role: 'answering',
      file: received,
      bindPort: spandspPort,
      peerPort: media,
      ident: 'SPANDSP RX',
    });
    const { callee } = await runCallee('uas-t38-answer.xml', sippPort, { spandsp: spandspPort });
    const faxd = await faxdWithSipLine(sippPort, media);
    const jobId = await submitText(faxd.url, NOTE, '5550100');
    const job = await waitFor('the job to end', async () => {
      const current = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    const [peer] = await Promise.all([spandsp, callee]);
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(job.csid, 'SPANDSP RX', "the remote's CSI");
    assert.ok(peer.ok, peer.completionText);
    assert.equal(peer.pagesRx, 2);
    const sent = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    for (const [i, page] of libtiffPages(received, 2).entries()) {
      assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1}`);
    }
  });

  it('answers a 401 challenge with digest credentials sipp accepts, then ends the attempt busy', async () => {
    const [sippPort, media] = [await freeUdpPort(), await freeUdpPort()];
    const { callee } = await runCallee('uas-digest-busy.xml', sippPort);
    const faxd = await faxdWithSipLine(sippPort, media, { username: 'faxd-user', password: 'faxd-secret' });
    const jobId = await submitText(faxd.url, 'Busy.\n', '5550100');
    // sipp answers 486 only when the second INVITE's digest checks out with these credentials, and 403 otherwise.
    const retrying = await waitFor('the attempt to end', async () => {
      const job = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
      return job.status === FAX_JOB_STATUS_ENUM.fjsRETRYING || isFinal(job.status) ? job : undefined;
    });
    await callee;
    assert.equal(retrying.status, FAX_JOB_STATUS_ENUM.fjsRETRYING);
    assert.equal(retrying.extendedStatusCode, FAX_JOB_EXTENDED_STATUS_ENUM.fjesBUSY);
  });
});
