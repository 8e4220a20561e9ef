// Live interop: SpanDSP's audio fax terminal against itself over G.711 RTP on loopback UDP (audio-fax reference §6.3),
// the reference faxd's audio calls are checked against: both laws, the sender calling and answering, ECM on and off,
// the DIS limited to each image modem. Pages must arrive pixel-identical through libtiff. Calls run in real time, side by
// side. (No cell loses packets: SpanDSP against itself fails most calls with 1 % of them lost at V.17, a lost packet in
// a V.21 frame or in TCF costing the DCS or the rate, so `lossPercent` is there for faxd's calls, not proven here.)

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BilevelPage, type Modem, samePixels, writeTiffClassF } from '@faxd/protocol';
import { chartStrips } from '@faxd/protocol/testing/chart-call';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { freeUdpPort } from './free-udp-port.js';
import { describeSideBySide } from './side-by-side-calls.js';
import { SPANDSP_Y_RESOLUTION } from './spandsp-peer.js';
import { runSpandspRtpFaxPeer, type SpandspRtpFaxPeerResult } from './spandsp-rtp-fax-peer.js';

/** The ITU charts pages are strips of, a different one on each page and in each call. */
const CHARTS = [1, 2, 3, 5, 6, 4, 7, 8];
/** Rows of each chart a page carries: real chart content, a few seconds of image data. */
const PAGE_ROWS = 200;

interface Cell {
  readonly media: 'pcmu' | 'pcma';
  readonly sender: 'calling' | 'answering';
  readonly ecm: boolean;
  readonly modem: Modem | 'all';
  readonly resolution: 'standard' | 'fine';
  readonly pages: 1 | 2;
}

const CELLS: readonly Cell[] = [
  { media: 'pcmu', sender: 'calling', ecm: true, modem: 'v17', resolution: 'fine', pages: 1 },
  { media: 'pcmu', sender: 'answering', ecm: false, modem: 'v29', resolution: 'standard', pages: 1 },
  { media: 'pcma', sender: 'calling', ecm: false, modem: 'v27ter', resolution: 'fine', pages: 1 },
  { media: 'pcma', sender: 'answering', ecm: true, modem: 'all', resolution: 'standard', pages: 2 },
];

/** The fastest rate of the modem the DIS was limited to: what two SpanDSP terminals settle on over a clean path. */
const TOP_RATE: Readonly<Record<Cell['modem'], number>> = { v17: 14400, v29: 9600, v27ter: 4800, all: 14400 };
const TIMEOUT_SECONDS = 120;

function cellName(cell: Cell): string {
  return `${cell.media.toUpperCase()}, sender ${cell.sender}, ${cell.ecm ? 'ECM' : 'no ECM'}, modems ${cell.modem}, ${cell.resolution}, ${cell.pages} page(s)`;
}

interface CallRun {
  readonly sender: SpandspRtpFaxPeerResult;
  readonly receiver: SpandspRtpFaxPeerResult;
  readonly sent: readonly BilevelPage[];
  readonly received: readonly BilevelPage[];
}

async function runCell(cell: Cell, index: number, work: string): Promise<CallRun> {
  const ports = { sender: await freeUdpPort(), receiver: await freeUdpPort() };
  const sent = chartStrips(CHARTS, index, cell.pages, cell.resolution, PAGE_ROWS);
  const input = join(work, `send-${index}.tif`);
  const output = join(work, `receive-${index}.tif`);
  await writeFile(input, writeTiffClassF(sent, { compression: 'mmr' }));
  const common = {
    media: cell.media,
    ecm: cell.ecm,
    ...(cell.modem !== 'all' && { modems: [cell.modem] }),
    timeoutSeconds: TIMEOUT_SECONDS,
    verbose: true,
  } as const;
  const [sender, receiver] = await Promise.all([
    runSpandspRtpFaxPeer({
      ...common,
      mode: 'send',
      file: input,
      bindPort: ports.sender,
      peerPort: ports.receiver,
      role: cell.sender,
      ident: 'SENDER',
    }),
    runSpandspRtpFaxPeer({
      ...common,
      mode: 'receive',
      file: output,
      bindPort: ports.receiver,
      peerPort: ports.sender,
      role: cell.sender === 'calling' ? 'answering' : 'calling',
      ident: 'RECEIVER',
    }),
  ]);
  const received = receiver.pagesRx > 0 ? libtiffPages(output, receiver.pagesRx) : [];
  return { sender, receiver, sent, received };
}

describeSideBySide('SpanDSP audio fax terminal ↔ itself over G.711 RTP on UDP', {
  cells: CELLS,
  run: runCell,
  name: cellName,
  check: ({ sender, receiver, sent, received }, cell) => {
    const logs = `sender:\n${sender.log.slice(-3000)}\nreceiver:\n${receiver.log.slice(-3000)}`;
    assert.equal(sender.ok, true, `sender: ${sender.completionText}\n${logs}`);
    assert.equal(receiver.ok, true, `receiver: ${receiver.completionText}\n${logs}`);
    assert.equal(sender.exitCode, 0);
    assert.equal(receiver.exitCode, 0);
    assert.equal(sender.pagesTx, cell.pages);
    assert.equal(receiver.pagesRx, cell.pages);
    assert.equal(receiver.remoteIdent, 'SENDER');
    assert.equal(sender.remoteIdent, 'RECEIVER');
    assert.equal(receiver.ecm, cell.ecm);
    assert.equal(receiver.bitRate, TOP_RATE[cell.modem]);
    assert.equal(receiver.yResolution, SPANDSP_Y_RESOLUTION[cell.resolution]);
    assert.equal(received.length, sent.length);
    received.forEach((page, i) => {
      assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1} differs from what was sent`);
    });
    // Loopback loses nothing: no packet was filled in, and nothing but the call's RTP arrived.
    assert.equal(receiver.packetsFilledIn + sender.packetsFilledIn, 0);
    assert.equal(receiver.datagramsIgnored + sender.datagramsIgnored, 0);
  },
});
