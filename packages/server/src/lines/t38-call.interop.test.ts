// Live interop: faxd's T.30/T.38 engine (runT38Call on UDP) against SpanDSP 0.0.6's T.38 terminal, in both directions,
// with and without ECM, MH/MR/MMR, standard and fine, 1 and 5 pages, and 5 % loss repaired by UDPTL redundancy
// (T.30 phases B–E, T.38 §9.1 and Annex A). Calls run in real time, all side by side.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, samePixels, writeTiffClassF } from '@faxd/protocol';
import { chartStrips } from '@faxd/protocol/testing/chart-call';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { startLossyUdpRelay } from '../testing/lossy-udp-relay.js';
import {
  buildSpandspPeer,
  type PeerResult,
  runSpandspPeer,
  SPANDSP_ENCODING,
  SPANDSP_Y_RESOLUTION,
} from '../testing/spandsp-peer.js';
import { type CallCompression, runT38Call, type T38CallResult } from './t38-call.js';

/** The ITU charts pages are strips of, a different one on each page and in each call. */
const CHARTS = [1, 2, 3, 5, 6, 4, 7, 8];
/** Rows of each chart a page carries: real chart content, a few seconds of image data. */
const PAGE_ROWS = 200;

interface Cell {
  readonly direction: 'faxd→SpanDSP' | 'SpanDSP→faxd';
  readonly ecm: boolean;
  /** The best coding both ends are allowed. */
  readonly compression: CallCompression;
  readonly resolution: 'standard' | 'fine';
  readonly pages: 1 | 5;
  /** Loss on each direction: at the relay toward faxd, at SpanDSP's socket toward SpanDSP. */
  readonly lossPercent: 0 | 5;
}

// A covering set of the matrix (direction × ECM × MH/MR/MMR × standard/fine × 1/5 pages × 0/5 % loss): every value of
// every dimension occurs in each direction, and each direction has every ECM × coding pair.
const CELLS: readonly Cell[] = [
  { direction: 'faxd→SpanDSP', ecm: true, compression: 'mh', resolution: 'standard', pages: 1, lossPercent: 0 },
  { direction: 'faxd→SpanDSP', ecm: true, compression: 'mr', resolution: 'fine', pages: 5, lossPercent: 5 },
  { direction: 'faxd→SpanDSP', ecm: true, compression: 'mmr', resolution: 'fine', pages: 1, lossPercent: 0 },
  { direction: 'faxd→SpanDSP', ecm: true, compression: 'mmr', resolution: 'standard', pages: 5, lossPercent: 5 },
  { direction: 'faxd→SpanDSP', ecm: false, compression: 'mh', resolution: 'fine', pages: 1, lossPercent: 5 },
  { direction: 'faxd→SpanDSP', ecm: false, compression: 'mr', resolution: 'standard', pages: 5, lossPercent: 0 },
  { direction: 'faxd→SpanDSP', ecm: false, compression: 'mr', resolution: 'fine', pages: 1, lossPercent: 0 },
  { direction: 'faxd→SpanDSP', ecm: false, compression: 'mmr', resolution: 'standard', pages: 1, lossPercent: 5 },
  { direction: 'SpanDSP→faxd', ecm: true, compression: 'mh', resolution: 'fine', pages: 5, lossPercent: 0 },
  { direction: 'SpanDSP→faxd', ecm: true, compression: 'mr', resolution: 'standard', pages: 1, lossPercent: 5 },
  { direction: 'SpanDSP→faxd', ecm: true, compression: 'mmr', resolution: 'fine', pages: 5, lossPercent: 5 },
  { direction: 'SpanDSP→faxd', ecm: true, compression: 'mmr', resolution: 'standard', pages: 1, lossPercent: 0 },
  { direction: 'SpanDSP→faxd', ecm: false, compression: 'mh', resolution: 'standard', pages: 5, lossPercent: 5 },
  { direction: 'SpanDSP→faxd', ecm: false, compression: 'mr', resolution: 'fine', pages: 1, lossPercent: 0 },
  { direction: 'SpanDSP→faxd', ecm: false, compression: 'mr', resolution: 'standard', pages: 1, lossPercent: 5 },
  { direction: 'SpanDSP→faxd', ecm: false, compression: 'mmr', resolution: 'fine', pages: 1, lossPercent: 0 },
];

const FAXD_IDENT = '+1 555 0100';
const SPANDSP_IDENT = 'SPANDSP 0.0.6';
const TIMEOUT_SECONDS = 150;
/** T.6 coding needs ECM (T.30 §6.3), so a station allowed MMR without ECM settles on MR. */
function negotiatedCompression(cell: Cell): CallCompression {
  return cell.compression === 'mmr' && !cell.ecm ? 'mr' : cell.compression;
}

function cellName(cell: Cell): string {
  const coding = negotiatedCompression(cell) === cell.compression ? cell.compression : `${cell.compression}→mr`;
  return `${cell.direction} ${cell.ecm ? 'ECM' : 'no ECM'} ${coding.toUpperCase()} ${cell.resolution} ${cell.pages} page(s) ${cell.lossPercent} % loss`;
}

interface CallRun {
  readonly faxd: T38CallResult;
  readonly spandsp: PeerResult;
  readonly sent: readonly BilevelPage[];
  /** What the receiving end kept, decoded (libtiff for SpanDSP's TIFF). */
  readonly received: readonly BilevelPage[];
  /** Datagrams lost on their way to the receiving end. */
  readonly droppedTowardReceiver: number;
}

async function runCell(cell: Cell, index: number, work: string): Promise<CallRun> {
  // Each call's three ports (faxd, relay, SpanDSP) are claimed for this process, so no other test process draws them.
  const ports = { faxd: await freeUdpPort(), relay: await freeUdpPort(), spandsp: await freeUdpPort() };
  const relay = await startLossyUdpRelay({
    port: ports.relay,
    ends: [ports.faxd, ports.spandsp],
    lossPercent: [cell.lossPercent, 0],
    seed: index + 1,
  });
  const sent = chartStrips(CHARTS, index, cell.pages, cell.resolution, PAGE_ROWS);
  const file = join(work, `call-${index}.tif`);
  const faxdSends = cell.direction === 'faxd→SpanDSP';
  if (!faxdSends) await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
  try {
    const [spandsp, faxd] = await Promise.all([
      runSpandspPeer({
        mode: faxdSends ? 'receive' : 'send',
        file,
        bindPort: ports.spandsp,
        peerPort: ports.relay,
        ecm: cell.ecm,
        compression: cell.compression,
        ident: SPANDSP_IDENT,
        lossPercent: cell.lossPercent,
        seed: index + 1,
        timeoutSeconds: TIMEOUT_SECONDS,
        verbose: true,
      }),
      runT38Call({
        role: faxdSends ? 'calling' : 'answering',
        pages: faxdSends ? sent : undefined,
        bind: { host: '127.0.0.1', port: ports.faxd },
        peer: { host: '127.0.0.1', port: ports.relay },
        ecm: cell.ecm,
        compression: cell.compression,
        ident: FAXD_IDENT,
        redundancy: 3,
        timeoutSeconds: TIMEOUT_SECONDS,
      }),
    ]);
    const received = faxdSends && spandsp.pagesRx > 0 ? libtiffPages(file, spandsp.pagesRx) : faxd.received;
    const droppedTowardReceiver = faxdSends ? spandsp.datagramsDropped : relay.dropped[0];
    return { faxd, spandsp, sent, received, droppedTowardReceiver };
  } finally {
    await relay.close();
  }
}

/** SpanDSP's log around the end of the call, to read a failure by. */
function logTail(run: CallRun): string {
  return `\n--- SpanDSP log (last lines) ---\n${run.spandsp.log.split('\n').slice(-60).join('\n')}`;
}

function checkCall(cell: Cell, run: CallRun): void {
  const { faxd, spandsp } = run;
  const faxdSends = cell.direction === 'faxd→SpanDSP';
  const context = `faxd: ${JSON.stringify({ ...faxd, received: faxd.received.length, outcome: undefined })}\nSpanDSP: ${JSON.stringify({ ...spandsp, log: undefined })}${logTail(run)}`;
  assert.equal(faxd.reason, 'ok', context);
  assert.ok(faxd.ok, context);
  assert.equal(spandsp.completion, 0, context);
  assert.equal(spandsp.exitCode, 0, context);

  const expected = negotiatedCompression(cell);
  assert.equal(faxd.compression, expected, context);
  assert.equal(spandsp.encoding, SPANDSP_ENCODING[expected], context);
  assert.equal(faxd.ecm, cell.ecm, context);
  assert.equal(spandsp.ecm, cell.ecm, context);
  assert.equal(faxd.resolution, cell.resolution, context);
  assert.equal(spandsp.yResolution, SPANDSP_Y_RESOLUTION[cell.resolution], context);
  assert.equal(faxd.remoteIdent, SPANDSP_IDENT, context);
  assert.equal(spandsp.remoteIdent, FAXD_IDENT, context);

  assert.equal(faxd.pages, cell.pages, context);
  assert.equal(faxdSends ? spandsp.pagesRx : spandsp.pagesTx, cell.pages, context);
  assert.equal(run.received.length, cell.pages, context);
  run.received.forEach((page, i) => {
    assert.ok(samePixels(page, run.sent[i]), `page ${i + 1}: the pixels that arrived differ from those sent`);
  });
}

describe('faxd against SpanDSP over T.38 on UDP (live, real time)', { concurrency: true }, () => {
  let work = '';
  before(async () => {
    // Fails every call below when gcc or SpanDSP is missing, naming the packages to install.
    await buildSpandspPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-spandsp-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  CELLS.forEach((cell, index) => {
    it(cellName(cell), { timeout: (TIMEOUT_SECONDS + 30) * 1000 }, async () => {
      const run = await runCell(cell, index, work);
      checkCall(cell, run);
      // A lossy cell must really have lost image-carrying datagrams, or it tests nothing about recovery.
      if (cell.lossPercent > 0) assert.ok(run.droppedTowardReceiver > 0, 'no datagram was lost toward the receiver');
    });
  });
});
