// Test support: a job faxd sends through a sip line to a sipp callee whose T.38 SDP names SpanDSP's receiver, checked
// end to end: completed with SpanDSP's CSI, and SpanDSP's TIFF (read by libtiff) equal to the document page for page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FAX_JOB_STATUS_ENUM, type FaxPortCall, isFinal } from '@faxd/contract';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { requestJson, submitText, waitFor } from './faxd-fixture.js';
import { freeUdpPort } from './free-udp-port.js';
import { watchPortCall } from './port-call-watch.js';
import type { SippBench, SippRun } from './sipp.js';
import { runSpandspPeer } from './spandsp-peer.js';

export interface SippJobOptions {
  /** A callee scenario taking SpanDSP's UDPTL port as the key [spandsp]. */
  readonly scenario: string;
  /** The text faxed (form feeds separate pages). */
  readonly note: string;
  /** Keys added to the sip line's `sip` configuration. */
  readonly sip?: Record<string, unknown>;
}

/**
 * Sends `note` to 5550100 through sipp playing `scenario`; returns sipp's run for the scenario's own checks, and what
 * the port's resource showed of the call meanwhile (its media, and from the DCS on, modem, rate and ECM).
 */
export async function sendJobThroughSipp(
  bench: SippBench,
  options: SippJobOptions,
): Promise<SippRun & { readonly portCall: FaxPortCall | undefined }> {
  const [sippPort, spandspPort] = [await freeUdpPort(), await freeUdpPort()];
  const { finished: callee } = await bench.start({
    scenario: options.scenario,
    port: sippPort,
    keys: { spandsp: spandspPort },
  });
  // No header line, so SpanDSP must receive the document exactly; a retry far enough away that a failed attempt
  // leaves the job waiting rather than calling again.
  const { faxd, media } = await bench.startFaxd(
    { proxy: `sip:127.0.0.1:${sippPort}`, ...options.sip },
    { outboundQueue: { headerTemplate: '', retries: 3, retryDelaySeconds: 3600 } },
  );
  const received = join(bench.work, `${options.scenario}-${spandspPort}.tif`);
  const spandsp = runSpandspPeer({
    mode: 'receive',
    role: 'answering',
    file: received,
    bindPort: spandspPort,
    peerPort: media,
    ident: 'SPANDSP RX',
  });
  const jobId = await submitText(faxd.url, options.note, '5550100');
  const watch = watchPortCall(faxd.url, 1, spandsp);
  const job = await waitFor('the job to end', async () => {
    const current = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
    return isFinal(current.status) ? current : undefined;
  });
  const [peer, sipp] = await Promise.all([spandsp, callee]);
  const pages = await loadDocumentPages(new Uint8Array(Buffer.from(options.note)), { paper: 'a4' });
  assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
  assert.equal(job.csid, 'SPANDSP RX', "the remote's CSI");
  assert.ok(peer.ok, peer.completionText);
  assert.equal(peer.remoteIdent, job.tsid);
  assert.equal(peer.pagesRx, pages.length);
  for (const [i, page] of libtiffPages(received, pages.length).entries()) {
    assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
  }
  return { ...sipp, portCall: await watch.seen };
}
