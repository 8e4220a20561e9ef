// faxd with `tls` serves its API over HTTPS on HTTP/1.1 and HTTP/2 with a certificate openssl made, is refused by a
// client that does not trust the certificate's CA, and on SIGHUP serves a renewed certificate to new connections while
// a fax in progress and an event stream already open carry on; the CLI works against the https URL with
// NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { request as http1Request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { waitFor } from '../testing/faxd-fixture.js';
import { type FaxdProcess, startFaxdProcess, writeFaxdConfig } from '../testing/faxd-process.js';
import { type HttpsAnswer, httpsRequest, submitThreePages } from '../testing/https-request.js';
import {
  createTestCertificateAuthority,
  fingerprintOf,
  type TestCertificateAuthority,
} from '../testing/test-certificates.js';

function https2(url: string, path: string, ca: Buffer | string): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url, { ca });
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk) => {
      body += chunk;
    });
    stream.on('error', reject);
    stream.on('end', () => {
      const socket = session.socket as TLSSocket;
      const answer = {
        status,
        body,
        fingerprint: socket.getPeerCertificate().fingerprint256,
        protocol: session.alpnProtocol ?? false,
      };
      session.close();
      resolve(answer);
    });
  });
}

/** Whether the Server-Sent Events `text` carry `jobId`'s change to completed. */
function completionIn(text: string, jobId: string): boolean {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)))
    .some(
      (event) =>
        event.event === 'outgoingJobChanged' &&
        event.jobId === jobId &&
        event.status?.status === FAX_JOB_STATUS_ENUM.fjsCOMPLETED,
    );
}

/** Runs the `fax` command with `env` added; resolves with its exit code and output. */
function fax(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot(), 'packages/cli/bin/fax.js'), ...args],
      { env: { ...process.env, FAXD_TOKEN: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('faxd over HTTPS', () => {
  let authority: TestCertificateAuthority;
  let directory = '';
  let faxd: FaxdProcess;
  let ca: Buffer;
  let served: { cert: string; key: string };

  before(async () => {
    authority = createTestCertificateAuthority();
    ca = readFileSync(authority.caFile);
    served = authority.issue('server');
    directory = await mkdtemp(join(tmpdir(), 'faxd-https-'));
    const config = await writeFaxdConfig(directory, { dataDir: join(directory, 'var'), tls: served });
    faxd = await startFaxdProcess(config);
  });
  after(async () => {
    faxd?.child.kill('SIGTERM');
    if (faxd && faxd.child.exitCode === null) await new Promise((resolve) => faxd.child.once('exit', resolve));
    authority?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('answers HTTP/1.1 and HTTP/2 with the configured certificate', async () => {
    assert.match(faxd.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const expected = fingerprintOf(served.cert);
    const one = await httpsRequest(faxd.url, '/v1/ports', { ca });
    assert.equal(one.status, 200);
    assert.equal(one.protocol, 'http/1.1');
    assert.equal(one.fingerprint, expected);
    assert.equal((JSON.parse(one.body) as unknown[]).length, 2);
    const two = await https2(faxd.url, '/v1/ports', ca);
    assert.equal(two.status, 200);
    assert.equal(two.protocol, 'h2');
    assert.equal(two.fingerprint, expected);
    assert.deepEqual(JSON.parse(two.body), JSON.parse(one.body));
  });

  it('streams events over HTTP/2', async () => {
    const session = http2Connect(faxd.url, { ca });
    try {
      const stream = session.request({ ':path': '/v1/events' });
      const [headers, first] = await new Promise<[Record<string, unknown>, string]>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('response', (answer) => {
          stream.setEncoding('utf8');
          stream.once('data', (chunk: string) => resolve([answer, chunk]));
        });
      });
      assert.equal(headers[':status'], 200);
      assert.match(String(headers['content-type']), /^text\/event-stream/);
      assert.match(first, /^: faxd events/);
    } finally {
      session.destroy();
    }
  });

  it('is refused by a client that does not trust the CA, and plain HTTP gets no API', async () => {
    await assert.rejects(httpsRequest(faxd.url, '/v1/ports'), /self[- ]signed|unable to (verify|get local issuer)/i);
    const plain = await fetch(`${faxd.url.replace('https:', 'http:')}/v1/ports`).then(
      (response) => response.status,
      () => 'refused',
    );
    assert.notEqual(plain, 200);
  });

  it('serves a renewed certificate after SIGHUP while a fax is sent and an event stream stays open', async () => {
    const before = fingerprintOf(served.cert);
    const jobId = await submitThreePages(faxd.url, ca, '100');

    // An event stream opened on the old certificate: it must see the job through to its end.
    const events: string[] = [];
    const stream = http1Request(new URL('/v1/events', faxd.url), { ca, agent: false }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => events.push(chunk));
    });
    stream.on('error', () => {});
    stream.end();

    await waitFor('page 2 to start', async () => {
      const job = JSON.parse((await httpsRequest(faxd.url, `/v1/jobs/${jobId}`, { ca })).body);
      return job.currentPage >= 2 ? true : undefined;
    });
    served = authority.issue('server');
    const renewed = fingerprintOf(served.cert);
    assert.notEqual(renewed, before);
    faxd.child.kill('SIGHUP');
    await waitFor('the reload', () => (/certificates reloaded/.test(faxd.output()) ? true : undefined), 10_000);
    assert.equal((await httpsRequest(faxd.url, '/v1/ports', { ca })).fingerprint, renewed);
    assert.equal((await https2(faxd.url, '/v1/ports', ca)).fingerprint, renewed);

    await waitFor('the job to complete on the open event stream', () =>
      completionIn(events.join(''), jobId) ? true : undefined,
    );
    stream.destroy();
    const job = JSON.parse((await httpsRequest(faxd.url, `/v1/jobs/${jobId}`, { ca })).body);
    assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    assert.equal(job.pages, 3);
  });

  it('serves the CLI and SDK over https with NODE_EXTRA_CA_CERTS', async () => {
    const trusted = await fax(['ports', '--json'], { FAXD_URL: faxd.url, NODE_EXTRA_CA_CERTS: authority.caFile });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal((JSON.parse(trusted.stdout) as unknown[]).length, 2);
    const untrusted = await fax(['ports', '--json'], { FAXD_URL: faxd.url, NODE_EXTRA_CA_CERTS: '' });
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /^fax: /);
  });

  it("refuses to start on a key that is not the certificate's, naming tls", async () => {
    const mine = authority.issue('mine');
    const theirs = authority.issue('theirs');
    const config = await writeFaxdConfig(join(directory, 'var'), {
      dataDir: join(directory, 'refused'),
      tls: { cert: mine.cert, key: theirs.key },
    });
    const result = spawnSync(process.execPath, [join(repoRoot(), 'packages/cli/bin/faxd.js'), '--config', config], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^faxd: invalid configuration at tls: cannot use /);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('keeps the previous certificate when the new files do not load', async () => {
    const current = fingerprintOf(served.cert);
    const other = authority.issue('other');
    // The certificate of one pair with the key of another: refused, and the old pair stays in service.
    copyFileSync(other.key, served.key);
    faxd.child.kill('SIGHUP');
    await waitFor(
      'the refusal',
      () => (/certificates were not reloaded/.test(faxd.output()) ? true : undefined),
      10_000,
    );
    assert.equal((await httpsRequest(faxd.url, '/v1/ports', { ca })).fingerprint, current);
  });
});
