// A fax arriving on a SIP line (sipp calling, testdata/sipp/uac-t38-await-bye.xml, with SpanDSP sending the T.38)
// whose incoming job a user cancels: faxd hangs up with BYE, the job ends fjsCANCELED and nothing reaches the inbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { requestJson, waitFor } from '../testing/faxd-fixture.js';
import { answeredBy, decodeSippLog, SippBench } from '../testing/sipp.js';
import { startSpandspSender } from '../testing/spandsp-sender.js';

const PAGES = 6;

describe('a SIP reception cancelled by a user', () => {
  const bench = SippBench.register({ spandsp: true });

  it('hangs up with BYE and ends the job canceled, routing nothing', async () => {
    const { faxd, sipPort, media } = await bench.startFaxd({ numbers: ['200'] });
    const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);
    const text = Array.from({ length: PAGES }, (_, i) => `Page ${i + 1} of a fax to cancel.\n`).join('\f');
    const sender = await startSpandspSender({
      text,
      directory: bench.work,
      peerPort: media,
      startWhen: answeredBy(faxd),
    });
    const call = bench.run({
      scenario: 'uac-t38-await-bye.xml',
      target: sipPort,
      service: '200',
      fields: [sender.bindPort],
    });
    call.catch(() => {});
    const jobId = await waitFor('a page to be stored', async () => {
      const jobs = (await api('/v1/jobs?direction=incoming')).body as { jobId: string; size: number }[];
      return jobs.find((job) => job.size > 0)?.jobId;
    });
    const canceling = await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    assert.equal(canceling.status, 200);
    assert.equal(canceling.body.status, FAX_JOB_STATUS_ENUM.fjsCANCELING);

    const log = decodeSippLog((await call).messages);
    assert.ok(
      log.some((entry) => entry.direction === 'received' && entry.startLine.startsWith('BYE ')),
      'faxd hung up',
    );
    const peer = await sender.result;
    assert.equal(peer.ok, false, 'SpanDSP saw its fax undelivered');
    const job = await waitFor('the job to end', async () => {
      const found = (await api(`/v1/jobs/${jobId}`)).body as { status: number };
      return isFinal(found.status) ? found : undefined;
    });
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCANCELED);
    assert.deepEqual((await api('/v1/inbox')).body, []);
  });
});
