// A job sent through a SIP line whose callee (sipp, testdata/sipp/uas-busy.xml) answers 486 Busy Here: the service
// maps it to busy and schedules a retry (RFC 3261 §21.4.24 486; job states per @faxd/contract).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';

const execFileAsync = promisify(execFile);

describe('a job whose SIP callee is busy', () => {
  const servers: TestFaxd[] = [];
  after(() => Promise.all(servers.map((server) => server.dispose())));

  it('ends its attempt as busy and is scheduled for a retry', async () => {
    const sipp = requireTool('sipp');
    const [sippPort, sipPort, media] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const scenario = join(repoRoot(), 'packages/server/src/lines/testdata/sipp/uas-busy.xml');
    const callee = execFileAsync(
      sipp,
      ['-sf', scenario, '-i', '127.0.0.1', '-p', String(sippPort), '-m', '1', '-timeout', '60s', '-nostdin'],
      { timeout: 90_000 },
    );
    // sipp needs a moment to bind before the INVITE goes out; its Timer A retransmission would cover a miss anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const faxd = await startTestFaxd({
      // A retry far enough away that the test sees the job waiting for it, not a second call.
      outboundQueue: { retries: 3, retryDelaySeconds: 3600 },
      lines: [
        {
          id: 1,
          kind: 'sip',
          sip: { listen: `127.0.0.1:${sipPort}`, numbers: ['100'], proxy: `sip:127.0.0.1:${sippPort}` },
          mediaPorts: `${media}-${media}`,
        },
      ],
    });
    servers.push(faxd);
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
