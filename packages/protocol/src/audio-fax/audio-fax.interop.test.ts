// Live interop: faxd's audio front end and modems against SpanDSP 0.0.6's audio fax terminal (fax_state_t, its own
// V.21/V.27ter/V.29/V.17), both directions, ECM on and off, the image modem limited in turn to V.17, V.29 and V.27ter,
// standard and fine, 1 and 3 pages, over G.711 µ-law and A-law, the two joined sample to sample in lock step
// (audio-fax reference §6.3). Pages are compared pixel for pixel, SpanDSP's through libtiff.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '../image/page.js';
import { writeTiffClassF } from '../image/tiff/tiff-writer.js';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import type { Modem } from '../t30/frames/dis-dcs-bits.js';
import type { AudioPath } from '../testing/audio-link.js';
import { g711Path } from '../testing/audio-paths.js';
import { chartSessions, chartStrips } from '../testing/chart-call.js';
import { libtiffPages } from '../testing/libtiff-pages.js';
import { buildAudioFaxPeer, callSpandsp } from '../testing/spandsp-audio-fax.js';
import { losingFrame } from '../testing/t30-tamper.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { audioImageModems } from './image-modems.js';

interface Cell {
  readonly direction: 'faxd→SpanDSP' | 'SpanDSP→faxd';
  /** The only image modem the sender may choose. */
  readonly modem: Modem;
  readonly ecm: boolean;
  readonly resolution: 'standard' | 'fine';
  readonly pages: 1 | 3;
  readonly codec: G711Codec;
}

// A covering set of direction × modem × ECM × resolution × pages × law: each direction has every modem with ECM on and
// off, and every other value occurs in each direction.
const CELLS: readonly Cell[] = [
  { direction: 'faxd→SpanDSP', modem: 'v17', ecm: true, resolution: 'fine', pages: 3, codec: 'PCMU' },
  { direction: 'faxd→SpanDSP', modem: 'v17', ecm: false, resolution: 'standard', pages: 1, codec: 'PCMA' },
  { direction: 'faxd→SpanDSP', modem: 'v29', ecm: true, resolution: 'standard', pages: 1, codec: 'PCMA' },
  { direction: 'faxd→SpanDSP', modem: 'v29', ecm: false, resolution: 'fine', pages: 3, codec: 'PCMU' },
  { direction: 'faxd→SpanDSP', modem: 'v27ter', ecm: true, resolution: 'fine', pages: 1, codec: 'PCMU' },
  { direction: 'faxd→SpanDSP', modem: 'v27ter', ecm: false, resolution: 'standard', pages: 3, codec: 'PCMA' },
  { direction: 'SpanDSP→faxd', modem: 'v17', ecm: true, resolution: 'standard', pages: 1, codec: 'PCMA' },
  { direction: 'SpanDSP→faxd', modem: 'v17', ecm: false, resolution: 'fine', pages: 3, codec: 'PCMU' },
  { direction: 'SpanDSP→faxd', modem: 'v29', ecm: true, resolution: 'fine', pages: 3, codec: 'PCMU' },
  { direction: 'SpanDSP→faxd', modem: 'v29', ecm: false, resolution: 'standard', pages: 1, codec: 'PCMA' },
  { direction: 'SpanDSP→faxd', modem: 'v27ter', ecm: true, resolution: 'standard', pages: 3, codec: 'PCMA' },
  { direction: 'SpanDSP→faxd', modem: 'v27ter', ecm: false, resolution: 'fine', pages: 1, codec: 'PCMU' },
];

const FASTEST: Record<Modem, number> = { v17: 14400, v29: 9600, v27ter: 4800 };
const SPANDSP_IDENT = 'SPANDSP 0.0.6';
/** Rows of each ITU chart (from row 400): real content, a few seconds of image data at the slowest rate. */
const PAGE_ROWS = 160;
const CHARTS = [1, 4, 7, 2, 5, 8];

function cellName(cell: Cell): string {
  const { direction, modem, ecm, resolution, pages, codec } = cell;
  return `${direction} ${modem} ${ecm ? 'ECM' : 'no ECM'} ${resolution} ${pages} page(s) ${codec}`;
}

describe('faxd audio fax against SpanDSP’s audio fax terminal, sample to sample', () => {
  let work = '';
  before(async () => {
    await buildAudioFaxPeer();
    work = await mkdtemp(join(tmpdir(), 'faxd-audio-interop-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  for (const [index, cell] of CELLS.entries()) {
    it(cellName(cell), async () => {
      const faxdSends = cell.direction === 'faxd→SpanDSP';
      const sent = chartStrips(CHARTS, index, cell.pages, cell.resolution, PAGE_ROWS);
      const file = join(work, `call-${index}.tif`);
      if (!faxdSends) await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
      // faxd as sender may choose only the cell's modem; as receiver it offers all, and SpanDSP chooses the cell's.
      const { sending, receiving, sink } = chartSessions(
        sent,
        { ...audioImageModems([cell.modem]), ecm: cell.ecm, resolutions: new Set([cell.resolution]) },
        { ...audioImageModems(), ecm: cell.ecm },
      );
      const role = faxdSends ? 'calling' : 'answering';
      const station = new AudioFaxStation(faxdSends ? sending : receiving, { role });
      const spandsp = await callSpandsp(station, {
        mode: faxdSends ? 'receive' : 'send',
        file,
        calling: !faxdSends,
        ecm: cell.ecm,
        compression: 'mmr',
        modems: [cell.modem],
        ident: SPANDSP_IDENT,
        toSpandsp: g711Path(cell.codec),
        toFaxd: g711Path(cell.codec),
      });
      const context = `\n--- SpanDSP log (last lines) ---\n${spandsp.log.split('\n').slice(-40).join('\n')}`;
      assert.deepEqual(station.outcome, { code: 'ok', pages: cell.pages }, context);
      assert.equal(spandsp.completionText, 'OK', context);
      assert.deepEqual([spandsp.bitRate, spandsp.ecm], [FASTEST[cell.modem], cell.ecm]);
      assert.equal(faxdSends ? spandsp.pagesRx : spandsp.pagesTx, cell.pages);
      const received = faxdSends ? libtiffPages(file, spandsp.pagesRx) : sink.decoded;
      assert.equal(received.length, cell.pages);
      for (const [i, page] of received.entries()) assert.ok(samePixels(page, sent[i] as BilevelPage), `page ${i + 1}`);
      // Identities crossed both ways: SpanDSP read faxd's TSI or CSI, faxd SpanDSP's.
      assert.equal(spandsp.remoteIdent, faxdSends ? 'SENDER' : 'RECEIVER');
      const remote = station.events.find((e) => e.type === 'remote-ident');
      assert.equal(remote?.type === 'remote-ident' && remote.ident, SPANDSP_IDENT);
    });
  }

  // SpanDSP's PPS after a retransmission counts only the frames it resent. Packets lost in the middle of the block make
  // faxd ask for frames beyond that count; the block must still be confirmed only once all of its frames are in.
  it('SpanDSP→faxd v27ter ECM standard 1 page PCMA, packets lost in the block: repaired, never confirmed short', async () => {
    const sent = chartStrips(CHARTS, 0, 1, 'standard', 2 * PAGE_ROWS);
    const file = join(work, 'lossy.tif');
    await writeFile(file, writeTiffClassF(sent, { compression: 'mmr' }));
    const { receiving, sink } = chartSessions(sent, {}, { ...audioImageModems(), ecm: true });
    const station = new AudioFaxStation(receiving, { role: 'answering' });
    // Two packets of the block's first transmission are lost, 0.5 s and 1.5 s after its first FCD frame was heard.
    const codec = g711Path('PCMA');
    let packetsIntoPage = -1;
    const lossy: AudioPath = {
      carry(samples) {
        const heard = codec.carry(samples);
        if (packetsIntoPage < 0 && station.events.some((e) => e.type === 'page-started')) packetsIntoPage = 0;
        if (packetsIntoPage < 0 || ![25, 75].includes(packetsIntoPage++)) return heard;
        return { samples: new Int16Array(samples.length), missing: new Uint8Array(samples.length).fill(1) };
      },
    };
    const spandsp = await callSpandsp(station, {
      mode: 'send',
      file,
      calling: true,
      ecm: true,
      compression: 'mmr',
      modems: ['v27ter'],
      toSpandsp: g711Path('PCMA'),
      toFaxd: lossy,
    });
    const context = `\n--- SpanDSP log (last lines) ---\n${spandsp.log.split('\n').slice(-40).join('\n')}`;
    assert.deepEqual(station.outcome, { code: 'ok', pages: 1 }, context);
    assert.equal(spandsp.completionText, 'OK', context);
    const blocks = station.events.flatMap((e) => (e.type === 'ecm-block' ? [e] : []));
    assert.ok(
      blocks.length >= 2 && (blocks[0]?.missing ?? 0) > 0,
      `PPR asked for lost frames: ${JSON.stringify(blocks)}`,
    );
    // Every answer counted the whole block, whatever the PPS after a retransmission said.
    assert.ok(blocks.every((b) => b.frames === blocks[0]?.frames));
    assert.equal(sink.decoded.length, 1);
    assert.ok(samePixels(sink.decoded[0] as BilevelPage, sent[0] as BilevelPage), 'the page, pixel for pixel');
  });

  // T.30 Annex A against SpanDSP's receiver: a block that cannot be completed goes through PPR, CTC and EOR; SpanDSP
  // answers ERR, and faxd's sender hangs up (as SpanDSP's own does) with the page an ECM failure.
  it('faxd→SpanDSP v17 ECM standard 1 page PCMU, an ECM frame that never arrives: CTC twice, EOR, ERR, DCN', async () => {
    const sent = chartStrips(CHARTS, 0, 1, 'standard', PAGE_ROWS);
    const file = join(work, 'eor.tif');
    const { sending } = chartSessions(sent, { ...audioImageModems(['v17']), ecm: true }, {});
    losingFrame(sending, 0);
    const station = new AudioFaxStation(sending, { role: 'calling' });
    const spandsp = await callSpandsp(station, {
      mode: 'receive',
      file,
      calling: false,
      ecm: true,
      compression: 'mmr',
      modems: ['v17'],
      toSpandsp: g711Path('PCMU'),
      toFaxd: g711Path('PCMU'),
    });
    const context = `\n--- SpanDSP log (last lines) ---\n${spandsp.log.split('\n').slice(-40).join('\n')}`;
    assert.deepEqual(station.outcome, { code: 'ecm-failure', page: 1 }, context);
    // SpanDSP followed both CTCs (CTR each time) and answered the EOR with ERR; nothing of the page was confirmed.
    const ctc = station.events.flatMap((e) => (e.type === 'retrain' && e.reason === 'CTC' ? [e.bitRate] : []));
    assert.deepEqual(ctc, [12000, 9600], context);
    assert.equal(spandsp.log.match(/Tx: +CTR\b/g)?.length, 2, context);
    assert.match(spandsp.log, /Received EOR \+ EOP/, context);
    assert.match(spandsp.log, /Tx: +ERR\b/, context);
    assert.equal(spandsp.pagesRx, 0, context);
    assert.notEqual(spandsp.completionText, 'OK', context);
  });
});
