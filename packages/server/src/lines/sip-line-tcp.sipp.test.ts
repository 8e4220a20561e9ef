// A SIP line over TCP against sipp (`-t t1`: one TCP connection, RFC 3261 §18) calling with a direct T.38 offer while
// SpanDSP's T.38 terminal sends the fax to the UDPTL port faxd's answer names.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { samePixels } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { encodeFaxTiff } from '../documents/fax-files.js';
import { loadDocumentPages } from '../documents/load-pages.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { buildSpandspPeer, runSpandspPeer } from '../testing/spandsp-peer.js';
import type { LineCallResult } from './fax-line.js';
import { SipLine } from './sip-line.js';

const execFileAsync = promisify(execFile);

describe('a SIP line over TCP against sipp and SpanDSP', () => {
  let work = '';
  let sipp = '';
  const lines: SipLine[] = [];
  before(async () => {
    sipp = requireTool('sipp');
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-sipp-tcp-'));
  });
  after(async () => {
    await Promise.all(lines.map((line) => line.close()));
    await rm(work, { recursive: true, force: true });
  });

  /** Runs uac-t38.xml over TCP against `port`, [field0] being SpanDSP's UDPTL port; resolves with sipp's message log. */
  async function callOverTcp(port: number, spandspPort: number): Promise<string> {
    const injection = join(work, 'uac-t38.csv');
    const [errors, messages] = [join(work, 'uac-t38.err'), join(work, 'uac-t38.msg')];
    await writeFile(injection, `SEQUENTIAL\n${spandspPort};\n`);
    const args = [
      ...['-t', 't1', '-sf', join(repoRoot(), 'packages/server/src/lines/testdata/sipp/uac-t38.xml')],
      ...['-inf', injection, '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-m', '1', '-s', '200'],
      ...['-timeout', '150s', '-nostdin', '-trace_err', '-error_file', errors, '-trace_msg', '-message_file', messages],
      `127.0.0.1:${port}`,
    ];
    try {
      await execFileAsync(sipp, args, { timeout: 180_000 });
    } catch (error) {
      const log = await readFile(errors, 'utf8').catch(() => '');
      throw new Error(`sipp uac-t38.xml over TCP failed: ${(error as Error).message}\n${log.slice(-2000)}`);
    }
    return readFile(messages, 'utf8');
  }

  it("answers sipp's direct T.38 INVITE over TCP and receives SpanDSP's fax pixel for pixel", async () => {
    const media = await freeUdpPort();
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      transport: 'tcp',
      numbers: ['200'],
      mediaPorts: { first: media, last: media },
      ecm: true,
      compression: 'mmr',
      csid: 'FAXD SIP TCP',
    });
    lines.push(line);
    const received = new Promise<LineCallResult>((resolve) => {
      line.incomingCallHandler = (call) => {
        assert.deepEqual(call, { callerId: '5551234', calledNumber: '200' });
        return { onEvent: () => {}, onEnd: resolve };
      };
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Through sipp over TCP.\nSecond line.\n')), {
      paper: 'a4',
    });
    const document = join(work, 'to-faxd.tif');
    await writeFile(document, encodeFaxTiff(pages, { compression: 'mh', dateTime: new Date() }));
    const spandspPort = await freeUdpPort();
    const spandsp = runSpandspPeer({
      mode: 'send',
      file: document,
      bindPort: spandspPort,
      peerPort: media,
      ident: 'SPANDSP TCP TX',
    });
    const [log, result] = await Promise.all([callOverTcp(line.address.port, spandspPort), received]);
    const peer = await spandsp;
    assert.ok(peer.ok, peer.completionText);
    assert.equal(result.failure, undefined);
    assert.equal(result.outcome.code, 'ok');
    assert.equal(result.report.remoteIdent, 'SPANDSP TCP TX');
    assert.equal(result.received.length, pages.length);
    for (const [i, page] of result.received.entries()) {
      assert.ok(samePixels(page as never, pages[i] as never), `page ${i + 1}`);
    }
    // faxd's side of the call as sipp logged it: a Contact for TCP in the 200, and its BYE on the same connection.
    assert.match(log, /SIP\/2\.0 200 OK[\s\S]*?Contact: <sip:200@127\.0\.0\.1:\d+;transport=tcp>/);
    assert.match(log, /BYE sip:[^\r\n]*\r\nVia: SIP\/2\.0\/TCP 127\.0\.0\.1:/);
  });
});
