// SIP lines over TLS on real sockets (RFC 3261 §26): a caller that trusts the callee's certificate authority carries a
// fax over sips:; one that does not never gets its INVITE through, and the callee is offered no call; a source outside
// sip.allow gets no TLS handshake.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { loadDocumentPages } from '../documents/load-pages.js';
import { openTestSipLine } from '../testing/sip-test-line.js';
import { createTestCertificateAuthority, type TestCertificateAuthority } from '../testing/test-certificates.js';
import { TlsCredentials } from '../tls/tls-credentials.js';
import type { LineCallResult } from './fax-line.js';
import type { SipLine } from './sip-line.js';

const quiet = { onEvent: () => {} };

describe('SIP lines over TLS', () => {
  let trusted: TestCertificateAuthority;
  let other: TestCertificateAuthority;
  let credentials: TlsCredentials;
  const lines: SipLine[] = [];
  before(async () => {
    [trusted, other] = [createTestCertificateAuthority(), createTestCertificateAuthority()];
    credentials = await TlsCredentials.load(trusted.issue('line'));
  });
  after(async () => {
    for (const line of lines) await line.close();
    trusted?.dispose();
    other?.dispose();
  });

  /** A callee over TLS answering 200, and a caller toward it trusting `ca`. */
  async function pair(ca: Buffer): Promise<{ caller: SipLine; offered: () => number; ended: LineCallResult[] }> {
    // T1 of 20 ms: an INVITE that never gets through times out after 64*T1 instead of 32 s.
    const callee = await openTestSipLine(['200'], { transport: 'tls', tls: { credentials } });
    const caller = await openTestSipLine(['100'], {
      transport: 'tls',
      tls: { credentials, ca },
      proxy: `sips:127.0.0.1:${callee.address.port}`,
      call: { timers: { T1: 20 } },
    });
    lines.push(callee, caller);
    let offered = 0;
    const ended: LineCallResult[] = [];
    callee.incomingCallHandler = () => {
      offered += 1;
      return { ...quiet, onEnd: (result) => ended.push(result) };
    };
    return { caller, offered: () => offered, ended };
  }

  it('carries a fax to a callee whose certificate chains to a trusted authority', async () => {
    const { caller, offered } = await pair(readFileSync(trusted.caFile));
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Over TLS.\n')), { paper: 'a4' });
    const result = await caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    assert.equal(result.outcome.code, 'ok');
    assert.equal(offered(), 1);
  });

  it('closes a TLS connection from outside sip.allow before its handshake, and still serves the listed source', async () => {
    const line = await openTestSipLine(['200'], {
      transport: 'tls',
      tls: { credentials },
      gate: { allow: ['127.0.0.1'] },
    });
    lines.push(line);
    const ca = readFileSync(trusted.caFile);
    const handshake = (localAddress: string) =>
      new Promise<string>((resolve) => {
        // The TCP connection from the chosen source address, then the handshake over it.
        const tcp = connect({ host: '127.0.0.1', port: line.address.port, localAddress });
        const socket = connectTls({ socket: tcp, ca }, () => {
          resolve('secure');
          socket.destroy();
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
    assert.notEqual(await handshake('127.0.0.2'), 'secure');
    assert.equal(await handshake('127.0.0.1'), 'secure');
  });

  it('sends nothing to a callee whose certificate it cannot verify', async () => {
    const { caller, offered } = await pair(readFileSync(other.caFile));
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Not over TLS.\n')), { paper: 'a4' });
    const result = await caller.placeCall({ pages, number: '200', ident: 'TSI 100' }, quiet).result;
    assert.notEqual(result.outcome.code, 'ok');
    assert.ok(result.failure, 'the call failed before any fax');
    assert.equal(offered(), 0);
  });
});
