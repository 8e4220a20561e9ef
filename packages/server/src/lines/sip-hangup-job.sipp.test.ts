// A fax arriving on a SIP line whose caller (sipp, testdata/sipp/uac-t38-bye.xml) hangs up with BYE while SpanDSP is
// still sending: the incoming job must end, and whatever pages arrived are kept marked partial (RFC 3261 §15.1.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFinal } from '@faxd/contract';
import { requestJson, waitFor } from '../testing/faxd-fixture.js';
import { answeredBy, SippBench } from '../testing/sipp.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';

const PAGES = 6;

describe('a SIP caller hanging up mid-fax', () => {
  const bench = SippBench.register({ spandsp: true });

  it('ends the incoming job and keeps only what arrived, marked partial', async () => {
    const { faxd, sipPort, media } = await bench.startFaxd({ numbers: ['200'] });
    const text = Array.from({ length: PAGES }, (_, i) => `Page ${i + 1} of a fax cut short.\n`).join('\f');
    const sender = await startSpandspSender({
      text,
      directory: bench.work,
      peerPort: media,
      startWhen: answeredBy(faxd),
    });
    await bench.run({ scenario: 'uac-t38-bye.xml', target: sipPort, service: '200', fields: [sender.bindPort] });
    const peer = await sender.result;
    assert.equal(peer.ok, false, 'SpanDSP saw its call cut short');
    assert.ok(peer.pagesTx < PAGES, `SpanDSP sent ${peer.pagesTx} of ${PAGES} pages before the BYE`);
    const [job] = await waitFor('the incoming job to end', async () => {
      const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true')).body as { status: number }[];
      return jobs.length > 0 && jobs.every((one) => isFinal(one.status)) ? jobs : undefined;
    });
    assert.ok(job);
    const inbox = (await requestJson(faxd.url, '/v1/inbox')).body as { pages: number; partial: boolean }[];
    // The pages faxd confirmed before the BYE are kept; a BYE landing between faxd's MCF and SpanDSP hearing it
    // leaves faxd one page ahead of SpanDSP's count.
    if (inbox.length === 0) assert.ok(peer.pagesTx <= 1, `${peer.pagesTx} pages sent but none kept`);
    else {
      assert.equal(inbox.length, 1);
      assert.equal(inbox[0]?.partial, true);
      const kept = inbox[0]?.pages ?? 0;
      assert.ok(kept >= Math.max(1, peer.pagesTx) && kept <= peer.pagesTx + 1, `${kept} kept, ${peer.pagesTx} sent`);
    }
  });
});
