// SIP calls that stay on G.711 audio (issue 12 item 6, `sip.audioFax`), with sipp scripting the far end's signalling
// (testdata/sipp/*audio-refuse-t38.xml: PCMU only, 488 to the re-INVITE for T.38; uas-refuse-t38*.xml: 488 to an
// INVITE offering T.38; uac-audio-late-reinvite.xml: a re-INVITE to T.38 mid-fax, answered 488) and SpanDSP's audio
// fax terminal carrying the RTP it names: callers faxing into the inbox, jobs to a callee (the port showing the call's
// law, modem and rate meanwhile), and with audioFax off the old not-fax.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, FAX_MODEM_NAMES, type FaxPortCall } from '@faxd/contract';
import { type BilevelPage, samePixels, writeTiffClassF } from '@faxd/protocol';
import { chartStrips } from '@faxd/protocol/testing/chart-call';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { finalJob, firstInboxFax, requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { watchPortCall } from '../testing/port-call-watch.js';
import { methodsOf, receivedRequests, SippBench, type SippMessage } from '../testing/sipp.js';
import { runSpandspRtpFaxPeer } from '../testing/spandsp-rtp-fax-peer.js';

const NOTE = 'Faxed over G.711 audio.\n';
/** Line time either side may take: a one-page audio fax takes about 40 s. */
const LIMIT_SECONDS = 150;
const TEST_TIMEOUT_MS = (LIMIT_SECONDS + 60) * 1000;

/**
 * What GET /v1/ports/1 showed of the call mid-fax: the G.711 law it ran on, and the modem and rate the DCS chose,
 * which SpanDSP reports too (V.17 for its rates above V.29's).
 */
function assertPortCall(call: FaxPortCall | undefined, media: FaxPortCall['media'], bitRate: number): void {
  assert.ok(call, 'the port showed its call with a modem');
  assert.equal(call.media, media);
  assert.equal(call.bitRate, bitRate);
  assert.equal(call.ecm, true);
  assert.ok(call.modem && FAX_MODEM_NAMES.includes(call.modem), JSON.stringify(call));
  if (bitRate > 9600) assert.equal(call.modem, 'V.17');
}

describe('SIP calls that stay on G.711 audio, against sipp and SpanDSP’s audio fax terminal', () => {
  const bench = SippBench.register();

  /**
   * sipp as a callee that answers PCMU at a port for SpanDSP's audio terminal and refuses T.38, and faxd (offering
   * audio first, `sip` added to its line) calling it through its proxy setting.
   */
  async function faxdToAudioOnlyCallee(sip: Record<string, unknown>, scenario = 'uas-audio-refuse-t38.xml') {
    const [sippPort, spandspPort] = [await freeUdpPort(), await freeUdpPort()];
    const { finished: callee } = await bench.start({
      scenario,
      port: sippPort,
      keys: { spandsp: spandspPort },
      timeoutSeconds: LIMIT_SECONDS + 20,
    });
    // No header line, so SpanDSP must receive the document exactly; no retry within the test.
    const { faxd, media } = await bench.startFaxd(
      { proxy: `sip:127.0.0.1:${sippPort}`, ...sip },
      { outboundQueue: { headerTemplate: '', retries: 3, retryDelaySeconds: 3600 } },
    );
    return { faxd, media, spandspPort, callee };
  }

  /**
   * sipp as a caller on PCMU (`scenario`, refusing faxd's switch to T.38) with SpanDSP's terminal sending a fax over
   * the RTP it names: the fax lands in faxd's inbox pixel for pixel and the port showed the call meanwhile. Returns the
   * requests sipp received.
   */
  async function callerOnAudio(scenario: string, name: string) {
    const { faxd, sipPort, media } = await bench.startFaxd({ numbers: ['200'] });
    const spandspPort = await freeUdpPort();
    const sent = chartStrips([1, 4], 0, 1, 'fine', 400);
    const file = join(bench.work, `${name}.tif`);
    await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
    const call = Promise.all([
      runSpandspRtpFaxPeer({
        mode: 'send',
        file,
        role: 'calling',
        ecm: true,
        compression: 'mmr',
        ident: 'SPANDSP TX',
        media: 'pcmu',
        bindPort: spandspPort,
        peerPort: media,
        timeoutSeconds: LIMIT_SECONDS,
      }),
      bench.run({
        scenario,
        target: sipPort,
        service: '200',
        fields: [spandspPort],
        timeoutSeconds: LIMIT_SECONDS + 20,
      }),
    ]);
    const watch = watchPortCall(faxd.url, 1, call);
    const [spandsp, sipp] = await call;
    assert.equal(spandsp.completionText, 'OK', spandsp.log.split('\n').slice(-30).join('\n'));
    assertPortCall(await watch.seen, 'pcmu', spandsp.bitRate);
    const { message, pages } = await firstInboxFax(faxd.url);
    assert.equal(message.tsid, 'SPANDSP TX');
    assert.equal(message.partial, false);
    assert.equal(pages.length, sent.length);
    for (const [i, page] of pages.entries()) assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1}`);
    // The call is over: the port shows none.
    await waitFor('the port to show no call', async () => {
      const { body } = await requestJson(faxd.url, '/v1/ports/1');
      return body.call === null || undefined;
    });
    const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true')).body as { status: number }[];
    assert.deepEqual(
      jobs.map((job) => job.status),
      [FAX_JOB_STATUS_ENUM.fjsCOMPLETED],
    );
    return receivedRequests(sipp.messages);
  }

  it('answers a caller that stays on PCMU and refuses T.38, and files its fax pixel for pixel', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const requests = await callerOnAudio('uac-audio-refuse-t38.xml', 'audio-caller');
    // faxd asked for T.38 once, took the 488, faxed over audio and hung up.
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'BYE']);
    assert.match(requests[0]?.body ?? '', /^m=image [0-9]+ udptl t38/m);
  });

  it('refuses with 488 a caller’s re-INVITE to T.38 that comes mid-fax, and the fax still lands over audio', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // The scenario fails unless faxd answers its late re-INVITE 488; the fax then completes on the same audio.
    const requests = await callerOnAudio('uac-audio-late-reinvite.xml', 'late-reinvite');
    // faxd's own switch (refused) and its ACK, sipp's re-INVITE answered without a new offer of faxd's, the BYE.
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'BYE']);
  });

  /** A job to `callee`'s SpanDSP audio terminal, checked end to end; returns the requests sipp received. */
  async function jobOverAudio(
    { faxd, media, spandspPort, callee }: Awaited<ReturnType<typeof faxdToAudioOnlyCallee>>,
    name: string,
  ) {
    const file = join(bench.work, `${name}.tif`);
    const jobId = await submitText(faxd.url, NOTE, '5550100');
    // SpanDSP's terminal starts once the call is answered, as a callee's fax machine does: faxd's own ask for T.38
    // comes before the fax starts, not after a DIS SpanDSP had already been sending (faxd no longer asks then).
    await waitFor('the call to be answered', async () => {
      const { body } = await requestJson(faxd.url, '/v1/ports/1');
      return body.call ?? undefined;
    });
    const spandsp = runSpandspRtpFaxPeer({
      mode: 'receive',
      file,
      role: 'answering',
      ecm: true,
      compression: 'mmr',
      ident: 'SPANDSP RX',
      media: 'pcmu',
      bindPort: spandspPort,
      peerPort: media,
      timeoutSeconds: LIMIT_SECONDS,
    });
    const watch = watchPortCall(faxd.url, 1, spandsp);
    const job = await finalJob(faxd.url, jobId, LIMIT_SECONDS * 1000);
    const [peer, sipp] = await Promise.all([spandsp, callee]);
    assertPortCall(await watch.seen, 'pcmu', peer.bitRate);
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED, JSON.stringify(job));
    assert.equal(job.csid, 'SPANDSP RX');
    assert.equal(peer.completionText, 'OK', peer.log.split('\n').slice(-30).join('\n'));
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(NOTE)), { paper: 'a4' });
    assert.equal(peer.pagesRx, pages.length);
    for (const [i, page] of libtiffPages(file, pages.length).entries()) {
      assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
    }
    return receivedRequests(sipp.messages);
  }

  it('sends a job to a callee that answers PCMU and refuses the re-INVITE to T.38, over audio', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const requests = await jobOverAudio(await faxdToAudioOnlyCallee({ offer: 'audio' }), 'audio-callee');
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'INVITE', 'ACK', 'BYE']);
  });

  it('meets a callee’s 488 to its T.38 offer by calling again with PCMU, and sends the job over audio', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const callee = await faxdToAudioOnlyCallee({}, 'uas-refuse-t38-answer-audio.xml');
    const requests = await jobOverAudio(callee, 'refused-t38-callee');
    // The INVITE offering T.38 and the ACK for the 488; the same call offering audio alone, its ACK; no re-INVITE to
    // T.38 after the callee refused it (the scenario fails on one); the BYE after the fax.
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'INVITE', 'ACK', 'BYE']);
    const [first, second] = requests.filter((message) => message.startLine.startsWith('INVITE '));
    assert.match(first?.body ?? '', /^m=image [0-9]+ udptl t38/m);
    assert.doesNotMatch(second?.body ?? '', /^m=image/m);
    assert.equal(second?.header('Call-ID'), first?.header('Call-ID'));
    const seq = (message: SippMessage | undefined) => Number.parseInt(message?.header('CSeq') ?? '', 10);
    assert.ok(seq(second) > seq(first), `CSeq ${seq(second)} after ${seq(first)}`);
  });

  it('with sip.audioFax false, ends the same call as not-fax once the callee refuses T.38', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { faxd, callee } = await faxdToAudioOnlyCallee({ offer: 'audio', audioFax: false });
    const job = await finalJob(faxd.url, await submitText(faxd.url, NOTE, '5550100'), LIMIT_SECONDS * 1000);
    const sipp = await callee;
    // Not a call to retry: the job ends at once, as before audio fax.
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsRETRIES_EXCEEDED, JSON.stringify(job));
    assert.equal(job.extendedStatusCode, FAX_JOB_EXTENDED_STATUS_ENUM.fjesNOT_FAX_CALL);
    // The 488 ends the call at once: faxd hangs up without a fax.
    assert.deepEqual(methodsOf(receivedRequests(sipp.messages)), ['INVITE', 'ACK', 'INVITE', 'ACK', 'BYE']);
  });

  it('with sip.audioFax false, ends the job as not-fax on a callee’s 488 to its T.38 offer, as before', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { faxd, callee } = await faxdToAudioOnlyCallee({ audioFax: false }, 'uas-refuse-t38.xml');
    const job = await finalJob(faxd.url, await submitText(faxd.url, NOTE, '5550100'), LIMIT_SECONDS * 1000);
    const sipp = await callee;
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsRETRIES_EXCEEDED, JSON.stringify(job));
    assert.equal(job.extendedStatusCode, FAX_JOB_EXTENDED_STATUS_ENUM.fjesNOT_FAX_CALL);
    assert.deepEqual(methodsOf(receivedRequests(sipp.messages)), ['INVITE', 'ACK']);
  });
});
