// SIP lines against sipp (scripted SIP peers, testdata/sipp/*.xml) with SpanDSP's T.38 terminal carrying the fax on
// the UDPTL port the SDP names.
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
const scenario = (name: string) => join(repoRoot(), 'packages/server/src/lines/testdata/sipp', name);

describe('a SIP line against sipp and SpanDSP', () => {
  let work = '';
  let sipp = '';
  const lines: SipLine[] = [];
  before(async () => {
    sipp = requireTool('sipp');
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-sipp-'));
  });
  after(async () => {
    await Promise.all(lines.map((line) => line.close()));
    await rm(work, { recursive: true, force: true });
  });

  /** Runs one sipp scenario against `port`; `fields` fill [field0]… of its injection file. */
  function runSipp(name: string, port: number, fields: readonly (string | number)[], extra: string[] = []) {
    const injection = join(work, `${name}.csv`);
    return writeFile(injection, `SEQUENTIAL\n${fields.join(';')};\n`).then(async () => {
      const own = await freeUdpPort();
      return execFileAsync(
        sipp,
        [
          '-sf',
          scenario(name),
          '-inf',
          injection,
          '-i',
          '127.0.0.1',
          '-p',
          String(own),
          '-m',
          '1',
          '-s',
          '200',
          '-timeout',
          '150s',
          '-nostdin',
          '-trace_err',
          '-error_file',
          join(work, `${name}.err`),
          ...extra,
          `127.0.0.1:${port}`,
        ],
        { timeout: 180_000 },
      ).catch(async (error: Error) => {
        const log = await readFile(join(work, `${name}.err`), 'utf8').catch(() => '');
        throw new Error(`sipp ${name} failed: ${error.message}\n${log.slice(-2000)}`);
      });
    });
  }

  it("answers sipp's direct T.38 INVITE and receives the fax SpanDSP sends on the negotiated port", async () => {
    const media = await freeUdpPort();
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      numbers: ['200'],
      mediaPorts: { first: media, last: media },
      ecm: true,
      compression: 'mmr',
      csid: 'FAXD SIP',
    });
    lines.push(line);
    const received = new Promise<LineCallResult>((resolve) => {
      line.incomingCallHandler = (call) => {
        assert.deepEqual(call, { callerId: '5551234', calledNumber: '200' });
        return { onEvent: () => {}, onEnd: resolve };
      };
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Through sipp.\n')), { paper: 'a4' });
    const document = join(work, 'to-faxd.tif');
    await writeFile(document, encodeFaxTiff(pages, { compression: 'mh', dateTime: new Date() }));
    const spandspPort = await freeUdpPort();
    const spandsp = runSpandspPeer({
      mode: 'send',
      file: document,
      bindPort: spandspPort,
      peerPort: media,
      ident: 'SPANDSP TX',
    });
    const [call, result] = await Promise.all([runSipp('uac-t38.xml', line.address.port, [spandspPort]), received]);
    const peer = await spandsp;
    assert.ok(peer.ok, peer.completionText);
    assert.equal(result.failure, undefined);
    assert.equal(result.outcome.code, 'ok');
    assert.equal(result.report.remoteIdent, 'SPANDSP TX');
    assert.ok(samePixels(result.received[0] as never, pages[0] as never));
    assert.match(call.stdout + call.stderr, /./s);
  });

  it("maps sipp's 486 to busy", async () => {
    const sippPort = await freeUdpPort();
    const media = await freeUdpPort();
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      numbers: ['100'],
      proxy: `sip:127.0.0.1:${sippPort}`,
      mediaPorts: { first: media, last: media },
      ecm: true,
      compression: 'mmr',
      csid: 'FAXD SIP',
    });
    lines.push(line);
    const callee = runSippServer('uas-busy.xml', sippPort);
    // sipp needs a moment to bind before the INVITE goes out; its Timer A retransmission would cover a miss anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Busy.\n')), { paper: 'a4' });
    const result = await line.placeCall({ pages, number: '5550100', ident: 'FAXD' }, { onEvent: () => {} }).result;
    await callee;
    assert.equal(result.failure, 'busy');
  });

  function runSippServer(name: string, port: number) {
    return execFileAsync(
      sipp,
      ['-sf', scenario(name), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-timeout', '60s', '-nostdin'],
      { timeout: 90_000 },
    );
  }
});
