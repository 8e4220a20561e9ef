// A job cancelled through the API while its SIP callee (sipp, testdata/sipp/uas-ringing-cancel.xml) rings: faxd
// cancels its INVITE, which ends 487 and is ACKed, and the job ends canceled (RFC 3261 §9.1, §17.1.1.3; job states
// per @faxd/contract). The other direction has no scenario: faxd answers an offered call at once, so a caller's CANCEL
// could only come after faxd's 200, when it no longer has any effect (§9.2).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { methodsOf, receivedRequests, SippBench } from '../testing/sipp.js';

describe('a job cancelled while its SIP callee rings', () => {
  const bench = SippBench.register();

  it("sends CANCEL, ACKs the INVITE's 487 and ends the job canceled", async () => {
    const sippPort = await freeUdpPort();
    const ringing = join(bench.work, 'ringing');
    const { finished: callee } = await bench.start({
      scenario: 'uas-ringing-cancel.xml',
      port: sippPort,
      keys: { ringing },
    });
    const { faxd } = await bench.startFaxd({ proxy: `sip:127.0.0.1:${sippPort}` });
    const jobId = await submitText(faxd.url, 'Cancelled while ringing.\n', '5550100');
    // sipp creates the file once it has sent 180 Ringing.
    await waitFor('sipp to ring', () => (existsSync(ringing) ? true : undefined));
    const cancel = await requestJson(faxd.url, `/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 200);
    const job = await waitFor('the job to end', async () => {
      const current = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
      return isFinal(current.status) ? current : undefined;
    });
    const received = receivedRequests((await callee).messages);
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCANCELED);
    const [invite, cancelRequest, ack] = received;
    assert.deepEqual(methodsOf(received), ['INVITE', 'CANCEL', 'ACK']);
    // §9.1: the CANCEL names the INVITE's Request-URI, top Via (branch included) and CSeq number.
    assert.equal(cancelRequest?.startLine.replace('CANCEL', 'INVITE'), invite?.startLine);
    assert.equal(cancelRequest?.header('Via'), invite?.header('Via'));
    assert.equal(cancelRequest?.header('CSeq'), invite?.header('CSeq').replace('INVITE', 'CANCEL'));
    // §17.1.1.3: the 487's ACK belongs to the INVITE's transaction.
    assert.equal(ack?.header('Via'), invite?.header('Via'));
    assert.equal(ack?.header('CSeq'), invite?.header('CSeq').replace('INVITE', 'ACK'));
  });
});
