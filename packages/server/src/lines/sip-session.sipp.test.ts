// SIP sessions against sipp while SpanDSP carries the fax: faxd refreshing a short session (RFC 4028) with UPDATEs
// during the fax, an INVITE without SDP answered with faxd's offer (RFC 3264 §4), and a callee's T38FaxMaxDatagram
// kept to on every UDPTL datagram faxd sends (T.38 Annex D).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { loadDocumentPages } from '../documents/load-pages.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { startLossyUdpRelay } from '../testing/lossy-udp-relay.js';
import { answerNextCall, callSeenByEachEnd, SippBench } from '../testing/sipp.js';
import { runSpandspPeer } from '../testing/spandsp-peer.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';
import { SipLine, type SipLineOptions } from './sip-line.js';

const textOfPages = (count: number) =>
  Array.from({ length: count }, (_, n) => `Page ${n + 1} of a SIP session test.\n`).join('\f');

describe('SIP sessions against sipp, SpanDSP carrying the fax', () => {
  const bench = SippBench.register({ spandsp: true });

  async function openLine(options: Partial<SipLineOptions>): Promise<{ line: SipLine; media: number }> {
    const media = await freeUdpPort();
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      numbers: ['200'],
      mediaPorts: { first: media, last: media },
      ecm: true,
      compression: 'mmr',
      csid: 'FAXD SIP',
      ...options,
    });
    bench.closeAfter(() => line.close());
    return { line, media };
  }

  /** A line answering number 200 and a SpanDSP sender of `count` pages toward its media port. */
  async function answeringLine(count: number) {
    const { line, media } = await openLine({});
    const { answered, received } = answerNextCall(line);
    const text = textOfPages(count);
    const sender = await startSpandspSender({ text, directory: bench.work, peerPort: media, startWhen: answered });
    return { line, pages: sender.pages, received, spandsp: sender.result, spandspPort: sender.bindPort };
  }

  it('refreshes a 4 s session with UPDATEs every 2 s while the fax runs, and the fax arrives intact', async () => {
    const { line, pages, received, spandsp, spandspPort } = await answeringLine(3);
    const [caller, result] = await Promise.all([
      bench.run({
        scenario: 'uac-t38-refresh.xml',
        target: line.address.port,
        service: '200',
        fields: [spandspPort],
        timeoutSeconds: 100,
      }),
      received,
    ]);
    const peer = await spandsp;
    assert.ok(peer.ok, callSeenByEachEnd(peer, result, caller.messages));
    assert.equal(result.failure, undefined);
    assert.equal(result.outcome.code, 'ok');
    assert.equal(result.received.length, pages.length);
    for (const [n, page] of pages.entries()) assert.ok(samePixels(result.received[n] as never, page as never));
    const updates = caller.messages.match(/^UPDATE sip:/gm)?.length ?? 0;
    assert.ok(updates >= 3, `only ${updates} refreshes reached sipp during the fax`);
    assert.match(caller.messages, /^Session-Expires: 4;refresher=uac/m);
  });

  it('offers T.38 in its 200 to an INVITE without SDP and takes the answer in the ACK', async () => {
    const { line, pages, received, spandsp, spandspPort } = await answeringLine(1);
    const [caller, result] = await Promise.all([
      bench.run({ scenario: 'uac-offerless.xml', target: line.address.port, service: '200', fields: [spandspPort] }),
      received,
    ]);
    const peer = await spandsp;
    assert.ok(peer.ok, callSeenByEachEnd(peer, result, caller.messages));
    assert.equal(result.outcome.code, 'ok');
    assert.ok(samePixels(result.received[0] as never, pages[0] as never));
  });

  it('sends no UDPTL datagram above the 160 octets the callee allows, dropping secondaries to fit', async () => {
    const [sippPort, spandspPort, relayPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const { line, media } = await openLine({ proxy: `sip:127.0.0.1:${sippPort}` });
    // The callee's SDP names the relay, which passes everything on to SpanDSP and notes the sizes.
    const relay = await startLossyUdpRelay({
      port: relayPort,
      ends: [spandspPort, media],
      lossPercent: [0, 0],
      seed: 1,
    });
    bench.closeAfter(() => relay.close());
    const { finished: callee } = await bench.start({
      scenario: 'uas-t38-small-datagram.xml',
      port: sippPort,
      keys: { spandsp: relayPort },
    });
    const file = join(bench.work, 'small-datagrams.tif');
    const spandsp = runSpandspPeer({
      mode: 'receive',
      role: 'answering',
      file,
      bindPort: spandspPort,
      peerPort: relayPort,
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(textOfPages(2))), { paper: 'a4' });
    const call = line.placeCall({ pages, number: '5550100', ident: 'FAXD' }, { onEvent: () => {} });
    const [result, peer] = await Promise.all([call.result, spandsp, callee]);
    assert.equal(result.outcome.code, 'ok');
    assert.ok(peer.ok, peer.completionText);
    for (const [n, page] of libtiffPages(file, 2).entries()) {
      assert.ok(samePixels(page, pages[n] as BilevelPage), `page ${n + 1}`);
    }
    const largest = relay.largest[0];
    // Image data goes in 54-octet IFPs at 14400 bit/s: the primary and one secondary fit, three would not.
    assert.ok(largest <= 160, `faxd sent a ${largest}-octet datagram`);
    assert.ok(largest > 110, `the largest datagram, ${largest} octets, carried no secondary`);
  });
});
