// A fax arriving on a SIP line whose caller (sipp, testdata/sipp/uac-t38-bye.xml) hangs up with BYE while SpanDSP is
// still sending: the incoming job must end, and whatever pages arrived are kept marked partial (RFC 3261 §15.1.2).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { isFinal } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { encodeFaxTiff } from '../documents/fax-files.js';
import { loadDocumentPages } from '../documents/load-pages.js';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { buildSpandspPeer, runSpandspPeer } from '../testing/spandsp-peer.js';

const execFileAsync = promisify(execFile);
const PAGES = 6;

describe('a SIP caller hanging up mid-fax', () => {
  let sipp = '';
  let work = '';
  const servers: TestFaxd[] = [];
  before(async () => {
    sipp = requireTool('sipp');
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-sipp-bye-'));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
    await rm(work, { recursive: true, force: true });
  });

  it('ends the incoming job and keeps only what arrived, marked partial', async () => {
    const [sipPort, media, spandspPort, own] = await Promise.all([1, 2, 3, 4].map(() => freeUdpPort()));
    const faxd = await startTestFaxd({
      lines: [
        {
          id: 1,
          kind: 'sip',
          sip: { listen: `127.0.0.1:${sipPort}`, numbers: ['200'] },
          mediaPorts: `${media}-${media}`,
        },
      ],
    });
    servers.push(faxd);
    const text = Array.from({ length: PAGES }, (_, i) => `Page ${i + 1} of a fax cut short.\n`).join('\f');
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from(text)), { paper: 'a4' });
    const document = join(work, 'to-faxd.tif');
    await writeFile(document, encodeFaxTiff(pages, { compression: 'mh', dateTime: new Date() }));
    const spandsp = runSpandspPeer({ mode: 'send', file: document, bindPort: spandspPort, peerPort: media });
    const injection = join(work, 'caller.csv');
    await writeFile(injection, `SEQUENTIAL\n${spandspPort};\n`);
    const scenario = join(repoRoot(), 'packages/server/src/lines/testdata/sipp/uac-t38-bye.xml');
    await execFileAsync(
      sipp,
      [
        ...['-sf', scenario, '-inf', injection, '-i', '127.0.0.1', '-p', String(own), '-m', '1', '-s', '200'],
        ...['-timeout', '40s', '-nostdin', `127.0.0.1:${sipPort}`],
      ],
      { timeout: 60_000 },
    );
    const peer = await spandsp;
    assert.equal(peer.ok, false, 'SpanDSP saw its call cut short');
    assert.ok(peer.pagesTx < PAGES, `SpanDSP sent ${peer.pagesTx} of ${PAGES} pages before the BYE`);
    const [job] = await waitFor('the incoming job to end', async () => {
      const jobs = (await requestJson(faxd.url, '/v1/jobs?direction=incoming&all=true')).body as { status: number }[];
      return jobs.length > 0 && jobs.every((one) => isFinal(one.status)) ? jobs : undefined;
    });
    assert.ok(job);
    const inbox = (await requestJson(faxd.url, '/v1/inbox')).body as { pages: number; partial: boolean }[];
    // The pages faxd confirmed before the BYE are kept; a BYE landing between faxd's MCF and SpanDSP hearing it
    // leaves faxd one page ahead of SpanDSP's count.
    if (inbox.length === 0) assert.ok(peer.pagesTx <= 1, `${peer.pagesTx} pages sent but none kept`);
    else {
      assert.equal(inbox.length, 1);
      assert.equal(inbox[0]?.partial, true);
      const kept = inbox[0]?.pages ?? 0;
      assert.ok(kept >= Math.max(1, peer.pagesTx) && kept <= peer.pagesTx + 1, `${kept} kept, ${peer.pagesTx} sent`);
    }
  });
});
