import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, pageFromRows, samePixels } from '../image/page.js';
import type { CodingScheme, Resolution } from '../t30/frames/dis-dcs-bits.js';
import { PageDocumentSource } from '../t30/page-document-source.js';
import { T30Session } from '../t30/session.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { ituChartPath } from '../testing/paths.js';
import { readPbm } from '../testing/pbm.js';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { CodecDocumentSink } from '../testing/t30-codec-documents.js';
import { type DatagramLinkOptions, T38Link } from '../testing/t38-link.js';
import { T38Station } from './t38-station.js';

const CHARTS = [1, 4, 7].map((n) => shortChart(n, 300));

interface CallCase {
  readonly pages: number;
  readonly compression: 'mh' | 'mr' | 'mmr';
  readonly ecm: boolean;
  readonly resolution: Resolution;
  readonly link?: DatagramLinkOptions;
}

function call(c: CallCase) {
  const compressions = new Set<CodingScheme>(c.compression === 'mh' ? ['mh'] : ['mh', c.compression]);
  const { sending, receiving, sink, pages } = chartSessions(CHARTS.slice(0, c.pages), {
    compressions,
    ecm: c.ecm,
    resolutions: new Set([c.resolution]),
    widths: new Set(['a4']),
  });
  const link = new T38Link(
    new T38Station(sending, { role: 'calling' }),
    new T38Station(receiving, { role: 'answering' }),
    {
      latencyMs: 30,
      ...c.link,
    },
  );
  link.run();
  return { link, sink, pages };
}

function assertDelivered(c: CallCase): void {
  const { link, sink, pages } = call(c);
  assert.deepEqual(link.a.outcome, { code: 'ok', pages: c.pages });
  assert.deepEqual(link.b.outcome, { code: 'ok', pages: c.pages });
  const dcs = link.b.events.flatMap((e) => (e.type === 'negotiated' ? [e.dcs] : []))[0];
  assert.deepEqual([dcs?.compression, dcs?.ecm, dcs?.resolution], [c.compression, c.ecm, c.resolution]);
  assert.equal(sink.decoded.length, c.pages);
  for (const [i, page] of sink.decoded.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
  if (c.link?.dropRate) assert.ok(link.stats.dropped > 0 && link.stats.duplicated > 0, 'the link was impaired');
  const remote = link.b.events.find((e) => e.type === 'remote-ident');
  assert.deepEqual(remote, { type: 'remote-ident', frame: 'TSI', ident: 'SENDER' });
}

const LOSSY: DatagramLinkOptions = { seed: 7, dropRate: 0.05, duplicateRate: 0.02, jitterMs: 40 };

describe('T.38 terminals carrying whole calls over UDPTL', () => {
  for (const compression of ['mh', 'mr', 'mmr'] as const) {
    for (const ecm of compression === 'mmr' ? [true] : [false, true]) {
      for (const resolution of ['standard', 'fine'] as const) {
        it(`1 page, ${compression}, ECM ${ecm ? 'on' : 'off'}, ${resolution}`, () =>
          assertDelivered({ pages: 1, compression, ecm, resolution }));
      }
    }
  }
  it('3 pages, MR, ECM off, fine', () =>
    assertDelivered({ pages: 3, compression: 'mr', ecm: false, resolution: 'fine' }));
  it('3 pages, MMR, ECM on, fine', () =>
    assertDelivered({ pages: 3, compression: 'mmr', ecm: true, resolution: 'fine' }));
  for (const seed of [7, 8, 9]) {
    it(`3 pages, MMR, ECM on, 5 % loss, duplicates and reordering (seed ${seed})`, () =>
      assertDelivered({ pages: 3, compression: 'mmr', ecm: true, resolution: 'fine', link: { ...LOSSY, seed } }));
    it(`3 pages, MH, ECM off, 5 % loss, duplicates and reordering (seed ${seed})`, () =>
      assertDelivered({ pages: 3, compression: 'mh', ecm: false, resolution: 'standard', link: { ...LOSSY, seed } }));
  }
});

describe('T.38 terminals without UDPTL redundancy', () => {
  /** Lost non-ECM data becomes bad rows that the receiver judges; the page still arrives and the call ends well. */
  for (const seed of [3, 7]) {
    it(`non-ECM MH through 5 % loss marks the lost data as damaged rows (seed ${seed})`, () => {
      const chart = readPbm(ituChartPath(1));
      const page = pageFromRows({ ...chart, height: 600 }, chart.data.slice(0, chart.stride * 600));
      const sink = new CodecDocumentSink();
      const capabilities = g3Capabilities({
        ecm: false,
        compressions: new Set(['mh']),
        widths: new Set(['a4']),
        resolutions: new Set(['fine']),
      });
      const sending = new T30Session({
        role: 'calling',
        direction: 'send',
        capabilities,
        source: new PageDocumentSource([page]),
      });
      const receiving = new T30Session({ role: 'answering', direction: 'receive', capabilities, sink });
      const a = new T38Station(sending, { role: 'calling', redundancy: 0 });
      const b = new T38Station(receiving, { role: 'answering', redundancy: 0 });
      const link = new T38Link(a, b, { seed, dropRate: 0.05 });
      link.run();
      assert.deepEqual(
        [a.outcome, b.outcome],
        [
          { code: 'ok', pages: 1 },
          { code: 'ok', pages: 1 },
        ],
      );
      const done = b.events.find((e) => e.type === 'page-done');
      assert.ok(done?.type === 'page-done' && (done.badRows ?? 0) > 0 && done.result !== 'RTN', JSON.stringify(done));
      assert.equal(sink.decoded.length, 1);
    });
  }
});
