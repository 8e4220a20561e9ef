import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { samePixels } from '../image/page.js';
import { LossyLink } from '../testing/lossy-link.js';
import { ituChartPath } from '../testing/paths.js';
import { readPbm } from '../testing/pbm.js';
import { backToBack } from '../testing/t30-call.js';
import { CodecDocumentSink } from '../testing/t30-codec-documents.js';
import type { CodingScheme } from './frames/dis-dcs-bits.js';
import { PageDocumentSource } from './page-document-source.js';

const CHARTS = [1, 2, 3].map((n) => readPbm(ituChartPath(n)));

/** A4 fine pages sent with the real codec; the receiver decodes every page pixel for pixel. */
function send(pageCount: number, compression: 'mh' | 'mr' | 'mmr', ecm: boolean, dropRate = 0) {
  const pages = CHARTS.slice(0, pageCount);
  const sink = new CodecDocumentSink();
  const compressions = new Set<CodingScheme>(compression === 'mh' ? ['mh'] : ['mh', compression]);
  const c = backToBack({
    source: new PageDocumentSource(pages),
    sink,
    sender: { compressions, ecm, widths: new Set(['a4']), resolutions: new Set(['standard', 'fine']) },
    link: { link: new LossyLink({ seed: 5, dropRate }) },
  });
  c.loop.run();
  assert.deepEqual(c.sender.outcome, { code: 'ok', pages: pageCount });
  assert.deepEqual(c.receiver.outcome, { code: 'ok', pages: pageCount });
  const dcs = c.receiver.negotiated()[0];
  assert.deepEqual([dcs.compression, dcs.ecm, dcs.resolution, dcs.width], [compression, ecm, 'fine', 'a4']);
  assert.equal(sink.decoded.length, pageCount);
  for (const [i, page] of sink.decoded.entries()) assert.ok(samePixels(page, pages[i]), `page ${i + 1} pixels`);
}

describe('T30Session with the T.4/T.6 codec', () => {
  for (const compression of ['mh', 'mr'] as const)
    it(`non-ECM ${compression}, 1 page`, () => send(1, compression, false));
  for (const compression of ['mh', 'mr', 'mmr'] as const)
    it(`ECM ${compression}, 1 page`, () => send(1, compression, true));
  it('ECM MMR, 3 pages through 5 % frame loss', () => send(3, 'mmr', true, 0.05));
  it('non-ECM MR, 3 pages', () => send(3, 'mr', false));
});
