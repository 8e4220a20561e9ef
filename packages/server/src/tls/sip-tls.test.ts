// Two faxd processes with SIP lines over TLS only (`sip.transport: "tls"`, RFC 3261 §26) fax each other: the caller
// reaches the callee's sips: proxy URI with a certificate openssl made, both reload renewed certificates on SIGHUP in
// the middle of the fax, and the fax completes; the callee's SIP listener then presents the renewed certificate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { httpsRequest, submitThreePages } from '../testing/https-request.js';
import {
  createTestCertificateAuthority,
  fingerprintOf,
  type TestCertificateAuthority,
} from '../testing/test-certificates.js';

/** The certificate a TLS listener presents to a new connection. */
function presentedFingerprint(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('SIP over TLS, faxd to faxd', () => {
  let authority: TestCertificateAuthority;
  let directory = '';
  const running: FaxdProcess[] = [];
  after(async () => {
    for (const faxd of running) {
      faxd.child.kill('SIGTERM');
      if (faxd.child.exitCode === null) await new Promise((resolve) => faxd.child.once('exit', resolve));
    }
    authority?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function startSipsFaxd(
    name: string,
    sip: Record<string, unknown>,
  ): Promise<{ faxd: FaxdProcess; cert: string; key: string }> {
    const home = join(directory, name);
    await mkdir(home);
    const media = await freeUdpPort();
    const files = authority.issue(name);
    const config = await writeFaxdConfig(home, {
      dataDir: join(home, 'var'),
      tls: files,
      lines: [{ id: 1, kind: 'sip', sip: { transport: 'tls', ...sip }, mediaPorts: `${media}-${media}`, csid: name }],
    });
    const faxd = await startFaxdProcess(config, { NODE_EXTRA_CA_CERTS: authority.caFile });
    running.push(faxd);
    return { faxd, ...files };
  }

  before(async () => {
    authority = createTestCertificateAuthority();
    directory = await mkdtemp(join(tmpdir(), 'faxd-sips-'));
  });

  it('carries a fax across certificate reloads on both ends', async () => {
    const ca = readFileSync(authority.caFile);
    // Ports of the claimed UDP range are free for TCP too: nothing else in the tests listens there.
    const [calleePort, callerPort] = [await freeUdpPort(), await freeUdpPort()];
    const callee = await startSipsFaxd('callee', { listen: `127.0.0.1:${calleePort}`, numbers: ['200'] });
    const caller = await startSipsFaxd('caller', {
      listen: `127.0.0.1:${callerPort}`,
      numbers: ['100'],
      proxy: `sips:127.0.0.1:${calleePort}`,
    });
    assert.equal(await presentedFingerprint(calleePort, ca), fingerprintOf(callee.cert));

    const jobId = await submitThreePages(caller.faxd.url, ca, '200');
    const jobOf = async () => JSON.parse((await httpsRequest(caller.faxd.url, `/v1/jobs/${jobId}`, { ca })).body);
    await waitFor('page 2 to start', async () => ((await jobOf()).currentPage >= 2 ? true : undefined));

    const renewed = authority.issue('callee');
    authority.issue('caller');
    for (const end of [callee, caller]) end.faxd.child.kill('SIGHUP');
    for (const end of [callee, caller]) {
      await waitFor('the reload', () => (/certificates reloaded/.test(end.faxd.output()) ? true : undefined), 10_000);
    }
    assert.equal(await presentedFingerprint(calleePort, ca), fingerprintOf(renewed.cert));

    const job = await waitFor('the job to end', async () => {
      const current = await jobOf();
      return current.status & (FAX_JOB_STATUS_ENUM.fjsCOMPLETED | FAX_JOB_STATUS_ENUM.fjsFAILED) ? current : undefined;
    });
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED, caller.faxd.output());
    assert.equal(job.pages, 3);
    // The callee files the fax once its side of the call has ended, a moment after the caller's last MCF.
    const inbox = await waitFor("the fax in the callee's inbox", async () => {
      const listed = JSON.parse((await httpsRequest(callee.faxd.url, '/v1/inbox', { ca })).body);
      return listed.length > 0 ? listed : undefined;
    });
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].pages, 3);
    assert.equal(inbox[0].partial, false);
  });
});
