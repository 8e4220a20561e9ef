// Live interop over real RTP: `fax terminal --media pcmu|pcma`'s call (runT38Call with faxd's audio modems) against
// SpanDSP 0.0.6's audio fax terminal, G.711 in 20 ms RTP packets on UDP on 127.0.0.1, both paced in real time, both
// directions (audio-fax reference §1.4, §6.3). Calls run side by side.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, type Modem, samePixels, writeTiffClassF } from '@faxd/protocol';
import { chartStrips } from '@faxd/protocol/testing/chart-call';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { buildAudioFaxPeer, runSpandspRtp } from '@faxd/protocol/testing/spandsp-audio-fax';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { runT38Call } from './t38-call.js';

interface Cell {
  readonly direction: 'faxd→SpanDSP' | 'SpanDSP→faxd';
  readonly law: 'pcmu' | 'pcma';
  readonly modem: Modem;
  readonly ecm: boolean;
  readonly resolution: 'standard' | 'fine';
  readonly pages: 1 | 3;
}

const CELLS: readonly Cell[] = [
  { direction: 'faxd→SpanDSP', law: 'pcmu', modem: 'v17', ecm: true, resolution: 'fine', pages: 3 },
  { direction: 'faxd→SpanDSP', law: 'pcma', modem: 'v27ter', ecm: false, resolution: 'standard', pages: 1 },
  { direction: 'SpanDSP→faxd', law: 'pcma', modem: 'v17', ecm: false, resolution: 'fine', pages: 3 },
  { direction: 'SpanDSP→faxd', law: 'pcmu', modem: 'v29', ecm: true, resolution: 'standard', pages: 1 },
];

const FASTEST: Record<Modem, number> = { v17: 14400, v29: 9600, v27ter: 4800 };
const NAMES: Record<Modem, string> = { v17: 'V.17', v29: 'V.29', v27ter: 'V.27ter' };
const TIMEOUT_SECONDS = 120;
const PAGE_ROWS = 160;

describe('fax terminal over G.711 RTP against SpanDSP’s audio fax terminal (real time, UDP)', {
  concurrency: true,
}, () => {
  let work = '';
  before(async () => {
    await buildAudioFaxPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-audio-rtp-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  for (const [index, cell] of CELLS.entries()) {
    const name = `${cell.direction} ${cell.law.toUpperCase()} ${NAMES[cell.modem]} ${cell.ecm ? 'ECM' : 'no ECM'} ${cell.resolution} ${cell.pages} page(s)`;
    it(name, { timeout: (TIMEOUT_SECONDS + 30) * 1000 }, async () => {
      const faxdSends = cell.direction === 'faxd→SpanDSP';
      const sent = chartStrips([1, 4, 7, 2], index, cell.pages, cell.resolution, PAGE_ROWS);
      const file = join(work, `call-${index}.tif`);
      if (!faxdSends) await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
      const ports = { faxd: await freeUdpPort(), spandsp: await freeUdpPort() };
      const [spandsp, faxd] = await Promise.all([
        runSpandspRtp({
          mode: faxdSends ? 'receive' : 'send',
          file,
          calling: !faxdSends,
          ecm: cell.ecm,
          compression: 'mmr',
          modems: [cell.modem],
          ident: 'SPANDSP',
          law: cell.law,
          bindPort: ports.spandsp,
          peerPort: ports.faxd,
          limitSeconds: TIMEOUT_SECONDS,
        }),
        runT38Call({
          role: faxdSends ? 'calling' : 'answering',
          pages: faxdSends ? sent : undefined,
          bind: { host: '127.0.0.1', port: ports.faxd },
          peer: { host: '127.0.0.1', port: ports.spandsp },
          ecm: cell.ecm,
          compression: 'mmr',
          ident: 'FAXD',
          redundancy: 3,
          timeoutSeconds: TIMEOUT_SECONDS,
          media: cell.law,
          modems: faxdSends ? [cell.modem] : undefined,
        }),
      ]);
      const context = `\n--- SpanDSP log (last lines) ---\n${spandsp.log.split('\n').slice(-40).join('\n')}`;
      assert.equal(spandsp.completionText, 'OK', context);
      assert.deepEqual(
        [faxd.ok, faxd.reason, faxd.pages, faxd.media, faxd.modem, faxd.bitRate, faxd.ecm],
        [true, 'ok', cell.pages, cell.law, NAMES[cell.modem], FASTEST[cell.modem], cell.ecm],
        context,
      );
      assert.deepEqual([faxd.remoteIdent, spandsp.remoteIdent], ['SPANDSP', 'FAXD']);
      const received = faxdSends ? libtiffPages(file, spandsp.pagesRx) : faxd.received;
      assert.equal(received.length, cell.pages);
      for (const [i, page] of received.entries()) assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1}`);
    });
  }
});
