// Live interop: faxd's audio fax terminal (runT38Call with --media pcmu|pcma: faxd's own modems in G.711 RTP on UDP)
// against SpanDSP's audio fax terminal (interop/spandsp/rtp-fax-peer.c) on loopback, both directions, ECM on and off,
// PCMU and PCMA, each end limited to V.17, V.29 and V.27ter in turn, standard and fine, 1 and 3 pages (issue 12;
// audio-fax reference §1.4, §6.3). Pages arrive pixel-identical through libtiff. Calls run in real time, side by side.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BilevelPage, type Modem, samePixels, writeTiffClassF } from '@faxd/protocol';
import { chartStrips } from '@faxd/protocol/testing/chart-call';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { describeSideBySide } from '../testing/side-by-side-calls.js';
import { SPANDSP_Y_RESOLUTION } from '../testing/spandsp-peer.js';
import { runSpandspRtpFaxPeer, type SpandspRtpFaxPeerResult } from '../testing/spandsp-rtp-fax-peer.js';
import { runT38Call, type T38CallResult } from './t38-call.js';

/** The ITU charts pages are strips of, a different one on each page and in each call. */
const CHARTS = [1, 2, 3, 5, 6, 4, 7, 8];
/** Rows of each chart a page carries: real chart content, a few seconds of image data. */
const PAGE_ROWS = 200;

interface Cell {
  readonly direction: 'faxd→SpanDSP' | 'SpanDSP→faxd';
  readonly media: 'pcmu' | 'pcma';
  readonly ecm: boolean;
  /** Both ends offer only this image modem. */
  readonly modem: Modem;
  readonly resolution: 'standard' | 'fine';
  readonly pages: 1 | 3;
}

// A covering set: in each direction every modem, both laws, ECM on and off, both resolutions, 1 and 3 pages.
const CELLS: readonly Cell[] = [
  { direction: 'faxd→SpanDSP', media: 'pcmu', ecm: true, modem: 'v17', resolution: 'fine', pages: 1 },
  { direction: 'faxd→SpanDSP', media: 'pcma', ecm: false, modem: 'v17', resolution: 'standard', pages: 3 },
  { direction: 'faxd→SpanDSP', media: 'pcma', ecm: true, modem: 'v29', resolution: 'standard', pages: 1 },
  { direction: 'faxd→SpanDSP', media: 'pcmu', ecm: false, modem: 'v27ter', resolution: 'fine', pages: 1 },
  { direction: 'SpanDSP→faxd', media: 'pcma', ecm: true, modem: 'v17', resolution: 'standard', pages: 3 },
  { direction: 'SpanDSP→faxd', media: 'pcmu', ecm: false, modem: 'v17', resolution: 'fine', pages: 1 },
  { direction: 'SpanDSP→faxd', media: 'pcmu', ecm: false, modem: 'v29', resolution: 'fine', pages: 1 },
  { direction: 'SpanDSP→faxd', media: 'pcma', ecm: true, modem: 'v27ter', resolution: 'standard', pages: 1 },
];

const MODEM_NAME = { v17: 'V.17', v29: 'V.29', v27ter: 'V.27ter' } as const;
/** The rate two ends offering only this modem settle on over a clean path. */
const TOP_RATE: Readonly<Record<Modem, number>> = { v17: 14400, v29: 9600, v27ter: 4800 };
const FAXD_IDENT = '+1 555 0100';
const SPANDSP_IDENT = 'SPANDSP 0.0.6';
const TIMEOUT_SECONDS = 150;

function cellName(cell: Cell): string {
  return `${cell.direction} ${cell.media.toUpperCase()} ${cell.ecm ? 'ECM' : 'no ECM'} ${MODEM_NAME[cell.modem]} ${cell.resolution} ${cell.pages} page(s)`;
}

interface CallRun {
  readonly faxd: T38CallResult;
  readonly spandsp: SpandspRtpFaxPeerResult;
  readonly sent: readonly BilevelPage[];
  /** What the receiving end kept, decoded (libtiff for SpanDSP's TIFF). */
  readonly received: readonly BilevelPage[];
}

async function runCell(cell: Cell, index: number, work: string): Promise<CallRun> {
  const ports = { faxd: await freeUdpPort(), spandsp: await freeUdpPort() };
  const sent = chartStrips(CHARTS, index, cell.pages, cell.resolution, PAGE_ROWS);
  const file = join(work, `call-${index}.tif`);
  const faxdSends = cell.direction === 'faxd→SpanDSP';
  if (!faxdSends) await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
  const [spandsp, faxd] = await Promise.all([
    runSpandspRtpFaxPeer({
      mode: faxdSends ? 'receive' : 'send',
      file,
      bindPort: ports.spandsp,
      peerPort: ports.faxd,
      media: cell.media,
      modems: [cell.modem],
      ecm: cell.ecm,
      ident: SPANDSP_IDENT,
      timeoutSeconds: TIMEOUT_SECONDS,
      verbose: true,
    }),
    runT38Call({
      role: faxdSends ? 'calling' : 'answering',
      pages: faxdSends ? sent : undefined,
      bind: { host: '127.0.0.1', port: ports.faxd },
      peer: { host: '127.0.0.1', port: ports.spandsp },
      media: cell.media,
      modems: [cell.modem],
      ecm: cell.ecm,
      compression: 'mmr',
      ident: FAXD_IDENT,
      redundancy: 3,
      timeoutSeconds: TIMEOUT_SECONDS,
    }),
  ]);
  const received = faxdSends && spandsp.pagesRx > 0 ? libtiffPages(file, spandsp.pagesRx) : faxd.received;
  return { faxd, spandsp, sent, received };
}

describeSideBySide('faxd ↔ SpanDSP audio fax terminal over G.711 RTP on UDP', {
  cells: CELLS,
  run: runCell,
  name: cellName,
  check: ({ faxd, spandsp, sent, received }, cell) => {
    const log = `SpanDSP log:\n${spandsp.log.slice(-6000)}`;
    assert.equal(faxd.reason, 'ok', `faxd: ${faxd.reason}; SpanDSP: ${spandsp.completionText}\n${log}`);
    assert.equal(spandsp.ok, true, `SpanDSP: ${spandsp.completionText}\n${log}`);
    assert.equal(faxd.ok, true);
    assert.equal(spandsp.exitCode, 0);
    assert.equal(faxd.media, cell.media);
    assert.equal(faxd.modem, MODEM_NAME[cell.modem]);
    assert.equal(faxd.bitRate, TOP_RATE[cell.modem]);
    assert.equal(spandsp.bitRate, TOP_RATE[cell.modem]);
    assert.equal(faxd.ecm, cell.ecm);
    assert.equal(spandsp.ecm, cell.ecm);
    assert.equal(faxd.resolution, cell.resolution);
    assert.equal(spandsp.yResolution, SPANDSP_Y_RESOLUTION[cell.resolution]);
    assert.equal(faxd.remoteIdent, SPANDSP_IDENT);
    assert.equal(spandsp.remoteIdent, FAXD_IDENT);
    assert.equal(faxd.pages, cell.pages);
    assert.equal(cell.direction === 'faxd→SpanDSP' ? spandsp.pagesRx : spandsp.pagesTx, cell.pages);
    // faxd paces its packets on time and never sends another payload type: SpanDSP had nothing to fill in or drop.
    assert.equal(spandsp.datagramsIgnored, 0);
    assert.equal(received.length, sent.length);
    received.forEach((page, i) => {
      assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1} differs from what was sent`);
    });
  },
});
