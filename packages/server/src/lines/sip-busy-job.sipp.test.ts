// A job sent through a SIP line whose callee (sipp, testdata/sipp/uas-busy.xml) answers 486 Busy Here: the service
// maps it to busy and schedules a retry (RFC 3261 §21.4.24 486; job states per @faxd/contract).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { requestJson, submitText, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { SippBench } from '../testing/sipp.js';

describe('a job whose SIP callee is busy', () => {
  const bench = SippBench.register();

  it('ends its attempt as busy and is scheduled for a retry', async () => {
    const sippPort = await freeUdpPort();
    const { finished: callee } = await bench.start({ scenario: 'uas-busy.xml', port: sippPort });
    // A retry far enough away that the test sees the job waiting for it, not a second call.
    const { faxd } = await bench.startFaxd(
      { proxy: `sip:127.0.0.1:${sippPort}` },
      { outboundQueue: { retries: 3, retryDelaySeconds: 3600 } },
    );
    const jobId = await submitText(faxd.url, 'Busy.\n', '5550100');
    const retrying = await waitFor('the attempt to end busy', async () => {
      const job = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
      return job.status === FAX_JOB_STATUS_ENUM.fjsRETRYING ? job : undefined;
    });
    await callee;
    assert.equal(retrying.extendedStatusCode, FAX_JOB_EXTENDED_STATUS_ENUM.fjesBUSY);
    assert.equal(retrying.retries, 1);
  });
});
