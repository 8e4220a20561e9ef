// SIP lines against sipp (scripted SIP peers, testdata/sipp/*.xml) with SpanDSP's T.38 terminal carrying the fax on
// the UDPTL port the SDP names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { samePixels } from '@faxd/protocol';
import { loadDocumentPages } from '../documents/load-pages.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { answerNextCall, callSeenByEachEnd, SippBench } from '../testing/sipp.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';
import { SipLine, type SipLineOptions } from './sip-line.js';

describe('a SIP line against sipp and SpanDSP', () => {
  const bench = SippBench.register({ spandsp: true });

  async function openLine(options: Omit<SipLineOptions, 'listen' | 'ecm' | 'compression' | 'csid'>) {
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      ecm: true,
      compression: 'mmr',
      csid: 'FAXD SIP',
      ...options,
    });
    bench.closeAfter(() => line.close());
    return line;
  }

  for (const transport of ['udp', 'tcp'] as const) {
    it(`answers sipp's direct T.38 INVITE over ${transport} and receives SpanDSP's fax on the negotiated port`, async () => {
      const media = await freeUdpPort();
      const line = await openLine({ transport, numbers: ['200'], mediaPorts: { first: media, last: media } });
      const { answered, received } = answerNextCall(line);
      const text = `Through sipp over ${transport}.\fIts second page.\n`;
      const sender = await startSpandspSender({
        text,
        directory: bench.work,
        peerPort: media,
        ident: 'SPANDSP TX',
        startWhen: answered,
      });
      const { pages, bindPort: spandspPort, result: spandsp } = sender;
      const [call, result] = await Promise.all([
        bench.run({
          scenario: 'uac-t38.xml',
          target: line.address.port,
          service: '200',
          fields: [spandspPort],
          transport,
        }),
        received,
      ]);
      const offered = await answered;
      assert.deepEqual(
        { callerId: offered.callerId, calledNumber: offered.calledNumber },
        { callerId: '5551234', calledNumber: '200' },
      );
      const peer = await spandsp;
      assert.ok(peer.ok, callSeenByEachEnd(peer, result, call.messages));
      assert.equal(result.failure, undefined);
      assert.equal(result.outcome.code, 'ok');
      assert.equal(result.report.remoteIdent, 'SPANDSP TX');
      assert.equal(result.received.length, pages.length);
      for (const [i, page] of result.received.entries()) {
        assert.ok(samePixels(page as never, pages[i] as never), `page ${i + 1}`);
      }
      // faxd's side as sipp logged it: the Contact of its 200 and the Via of its BYE name the call's transport.
      const contact = transport === 'tcp' ? ';transport=tcp>' : '>';
      assert.match(
        call.messages,
        new RegExp(`SIP/2\\.0 200 OK[\\s\\S]*?Contact: <sip:200@127\\.0\\.0\\.1:\\d+${contact}`),
      );
      assert.match(
        call.messages,
        new RegExp(`BYE sip:[^\\r\\n]*\\r\\nVia: SIP/2\\.0/${transport.toUpperCase()} 127\\.0\\.0\\.1:`),
      );
    });
  }

  it("maps sipp's 486 to busy", async () => {
    const sippPort = await freeUdpPort();
    const line = await openLine({
      numbers: ['100'],
      proxy: `sip:127.0.0.1:${sippPort}`,
      mediaPorts: { first: 0, last: 0 },
    });
    const { finished: callee } = await bench.start({ scenario: 'uas-busy.xml', port: sippPort });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Busy.\n')), { paper: 'a4' });
    const result = await line.placeCall({ pages, number: '5550100', ident: 'FAXD' }, { onEvent: () => {} }).result;
    await callee;
    assert.equal(result.failure, 'busy');
  });
});
