// SIP calls that start on G.711 audio and move to T.38 by re-INVITE (RFC 3261 §14, the usual gateway pattern), with
// sipp scripting the far end (testdata/sipp/*audio*.xml) and SpanDSP carrying the fax on the UDPTL port it names:
// faxd calling with audio and the callee switching, faxd calling and switching itself after its wait, and a caller on
// audio that faxd switches at once, while a second call meets a busy line (§21.4.24 486).
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { firstInboxFax, requestJson, waitFor } from '../testing/faxd-fixture.js';
import { answeredBy, methodsOf, receivedRequests, SippBench, type SippMessage } from '../testing/sipp.js';
import { sendJobThroughSipp } from '../testing/sipp-job.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';

const NOTE = 'Audio first, then T.38.\n\fIts second page.\n';

const isRequest = (method: string) => (message: SippMessage) => message.startLine.startsWith(`${method} `);

describe('SIP calls that start on audio and switch to T.38, against sipp and SpanDSP', () => {
  const bench = SippBench.register({ spandsp: true });

  /**
   * A job through a sip line configured to offer audio first (`sip.offer: "audio"`) to sipp playing `scenario`, which
   * puts SpanDSP's receiver in its T.38 SDP; returns the requests sipp received.
   */
  async function callOnAudio(scenario: string): Promise<SippMessage[]> {
    const sipp = await sendJobThroughSipp(bench, { scenario, note: NOTE, sip: { offer: 'audio' } });
    const requests = receivedRequests(sipp.messages);
    // faxd's first offer is audio alone: the switch is what brings T.38 in.
    const [invite] = requests.filter(isRequest('INVITE'));
    assert.match(invite?.body ?? '', /^m=audio [0-9]+ RTP\/AVP/m);
    assert.doesNotMatch(invite?.body ?? '', /^m=image/m);
    return requests;
  }

  it('calls on audio, takes the callee’s re-INVITE to T.38 and sends the fax pixel for pixel', async () => {
    const requests = await callOnAudio('uas-audio-reinvite-t38.xml');
    // The callee asked first, so faxd never sent a switch of its own: its INVITE, the ACK for the 200, the BYE.
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'BYE']);
  });

  it('calls on audio and, when the callee does not switch, re-INVITEs to T.38 itself and sends the fax', async () => {
    const requests = await callOnAudio('uas-audio-await-t38.xml');
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'INVITE', 'ACK', 'BYE']);
    const [invite, reInvite] = requests.filter(isRequest('INVITE'));
    // The same dialog, a higher CSeq (RFC 3261 §12.2.1.1), and only T.38 on offer (the scenario checks m=image).
    assert.equal(reInvite?.header('Call-ID'), invite?.header('Call-ID'));
    const seq = (message: SippMessage | undefined) => Number.parseInt(message?.header('CSeq') ?? '', 10);
    assert.ok(seq(reInvite) > seq(invite), `CSeq ${seq(reInvite)} after ${seq(invite)}`);
    assert.doesNotMatch(reInvite?.body ?? '', /^m=audio/m);
  });

  it('answers a caller on audio, switches it to T.38 at once and files the fax, while a second INVITE gets 486', async () => {
    const { faxd, sipPort, media } = await bench.startFaxd({ numbers: ['200'] });
    const sender = await startSpandspSender({
      text: NOTE,
      directory: bench.work,
      peerPort: media,
      ident: 'SPANDSP TX',
      startWhen: answeredBy(faxd),
    });
    const { pages, bindPort: spandspPort, result: spandsp } = sender;
    const caller = bench.run({
      scenario: 'uac-audio-await-t38.xml',
      target: sipPort,
      service: '200',
      fields: [spandspPort],
    });
    caller.catch(() => {});
    // Mid-fax, a second call for the same number. A sender that gives up first fails the test with its reason.
    const senderFailed = spandsp.then((peer) => {
      if (!peer.ok) throw new Error(`SpanDSP's sender gave up before faxd received a page: ${peer.completionText}`);
      return new Promise<never>(() => {});
    });
    await Promise.race([
      senderFailed,
      waitFor('the first page to be received', async () => {
        const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming')).body as {
          extendedStatusCode: number;
        }[];
        return jobs.some((job) => job.extendedStatusCode === FAX_JOB_EXTENDED_STATUS_ENUM.fjesRECEIVING) || undefined;
      }),
    ]);
    assert.equal(await finalStatusOfInvite(sipPort, '200'), 486);
    const [peer, sipp] = await Promise.all([spandsp, caller]);
    assert.ok(peer.ok, peer.completionText);
    assert.equal(peer.pagesTx, pages.length);
    const { message, pages: stored } = await firstInboxFax(faxd.url);
    assert.equal(message.tsid, 'SPANDSP TX');
    assert.equal(message.pages, pages.length);
    assert.equal(message.partial, false);
    assert.equal(stored.length, pages.length);
    for (const [i, page] of stored.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
    const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true')).body as { status: number }[];
    assert.deepEqual(
      jobs.map((job) => job.status),
      [FAX_JOB_STATUS_ENUM.fjsCOMPLETED],
      'the refused second call left no job',
    );
    // faxd's side as sipp saw it: the re-INVITE offering T.38, its ACK for sipp's 200, then the BYE.
    const requests = receivedRequests(sipp.messages);
    assert.deepEqual(methodsOf(requests), ['INVITE', 'ACK', 'BYE']);
    assert.match(requests[0]?.body ?? '', /^m=image [0-9]+ udptl t38/m);
  });
});

/**
 * Sends one INVITE offering T.38 for `number` to faxd's SIP port from a socket of our own, ACKs its final response
 * (RFC 3261 §17.1.1.3) and resolves with that response's status code.
 */
async function finalStatusOfInvite(port: number, number: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const own = socket.address().port;
  const sdp = [
    'v=0',
    'o=second 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=image 9 udptl t38',
    '',
  ].join('\r\n');
  const common = (method: string, to: string) => [
    `${method} sip:${number}@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${own};branch=z9hG4bK-second-call-${own}`,
    `From: <sip:5559999@127.0.0.1>;tag=second-${own}`,
    `To: ${to}`,
    `Call-ID: second-call-${own}@127.0.0.1`,
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
  ];
  const invite = [
    ...common('INVITE', `<sip:${number}@127.0.0.1:${port}>`),
    `Contact: <sip:5559999@127.0.0.1:${own}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${sdp.length}`,
    '',
    sdp,
  ].join('\r\n');
  const status = await new Promise<number>((resolve) => {
    socket.on('message', (datagram) => {
      const text = datagram.toString('latin1');
      const code = Number(/^SIP\/2\.0 ([0-9]{3})/.exec(text)?.[1]);
      if (!(code >= 200)) return;
      const to = /^To:\s*(.*?)\r$/im.exec(text)?.[1] ?? '';
      socket.send([...common('ACK', to), 'Content-Length: 0', '', ''].join('\r\n'), port, '127.0.0.1', () =>
        resolve(code),
      );
    });
    socket.send(invite, port, '127.0.0.1');
  });
  await new Promise<void>((resolve) => socket.close(resolve));
  return status;
}
