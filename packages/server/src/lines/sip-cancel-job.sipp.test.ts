// CANCEL both ways with sipp (RFC 3261 §9, §17.1.1.3; job states per @faxd/contract): a job cancelled through the API
// while its SIP callee rings (testdata/sipp/uas-ringing-cancel.xml) cancels faxd's INVITE, which ends 487 and is
// ACKed, and the job ends canceled; a caller hanging up while a line set to ring twice rings
// (uac-t38-cancel.xml) gets 200 and 487, and faxd never answers nor files anything.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { decodeSippLog, methodsOf, receivedRequests, SippBench } from '../testing/sipp.js';

describe('SIP calls cancelled while they ring', () => {
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

  it("rings a line set to two rings, takes the caller's CANCEL with 200 and 487, and never answers", async () => {
    const { faxd, sipPort } = await bench.startFaxd({ numbers: ['200'] }, {}, { rings: 2 });
    // sipp fails the run on any message it does not expect: a 200 to the INVITE after the 487 would be one.
    const caller = await bench.run({ scenario: 'uac-t38-cancel.xml', target: sipPort, service: '200' });
    const responses = decodeSippLog(caller.messages)
      .filter((message) => message.startLine.startsWith('SIP/2.0'))
      .map((message) => message.startLine.split(' ')[1]);
    assert.deepEqual(responses, ['100', '180', '200', '487']);
    // A call cancelled while it rang never carried a fax: it leaves no incoming job, and nothing was announced.
    const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true')).body;
    assert.deepEqual(jobs, []);
    assert.deepEqual(
      faxd.events.filter((event) => event.event.startsWith('incomingJob')),
      [],
    );
    assert.deepEqual((await requestJson(faxd.url, '/v1/inbox')).body, []);
  });
});
