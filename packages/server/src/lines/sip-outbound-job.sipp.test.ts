// Jobs sent through a SIP line whose callee is sipp: a T.38 answer pointing at SpanDSP's receiver (testdata/sipp/
// uas-t38-answer.xml; the port shows the call's modem and rate meanwhile) and a digest challenge before a busy answer
// (uas-digest-busy.xml, RFC 3261 §22.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { SippBench } from '../testing/sipp.js';
import { sendJobThroughSipp } from '../testing/sipp-job.js';

const NOTE = 'Through sipp to SpanDSP.\n\fIts second page.\n';

describe('a job through a SIP line whose callee is sipp', () => {
  const bench = SippBench.register({ spandsp: true });

  // A retry far enough away that a failed attempt leaves the job waiting rather than calling again.
  async function faxdWithSipLine(sippPort: number, sip: Record<string, unknown> = {}) {
    const outboundQueue = { headerTemplate: '', retries: 3, retryDelaySeconds: 3600 };
    return bench.startFaxd({ proxy: `sip:127.0.0.1:${sippPort}`, ...sip }, { outboundQueue });
  }

  it("completes when sipp answers with T.38 at SpanDSP's receiver, which gets the document pixel for pixel", async () => {
    const sipp = await sendJobThroughSipp(bench, { scenario: 'uas-t38-answer.xml', note: NOTE });
    assert.match(sipp.messages, /^m=image [0-9]+ udptl t38/m, "faxd's INVITE offered T.38");
    // Mid-fax the port showed the call on T.38 at the modem and rate of faxd's DCS: SpanDSP's T.38 terminal offers
    // V.17, and over T.38 no TCF fails, so the first choice holds.
    assert.deepEqual(sipp.portCall, { media: 't38', modem: 'V.17', bitRate: 14400, ecm: true });
  });

  it('answers a 401 challenge with digest credentials sipp accepts, then ends the attempt busy', async () => {
    const sippPort = await freeUdpPort();
    const { finished: callee } = await bench.start({ scenario: 'uas-digest-busy.xml', port: sippPort });
    const { faxd } = await faxdWithSipLine(sippPort, { username: 'faxd-user', password: 'faxd-secret' });
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
