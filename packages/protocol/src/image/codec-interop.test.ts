// Interop with libtiff and netpbm: our coded charts decode pixel-exact in libtiff, and theirs in our decoder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { reverseBits } from '../bits/reverse-bits.js';
import { ituChartPath } from '../testing/paths.js';
import { readPbm } from '../testing/pbm.js';
import { requireTool } from '../testing/system-tools.js';
import { readTinyTiff, TIFF_GROUP3, TIFF_GROUP4, TIFF_NONE, writeTinyTiff } from '../testing/tiny-tiff.js';
import { type Compression, decodePage, type EncodeOptions, encodePage } from './codec.js';
import type { BilevelPage } from './page.js';

const work = mkdtempSync(join(tmpdir(), 'faxd-codec-'));
after(() => rmSync(work, { recursive: true, force: true }));

const charts = new Map<number, BilevelPage>();
function chart(n: number): BilevelPage {
  let page = charts.get(n);
  if (!page) {
    page = readPbm(ituChartPath(n));
    charts.set(n, page);
  }
  return page;
}

/** Runs tiffcp on a TIFF, asking for one strip (each coded strip restarts its coding), and reads the output. */
function tiffcp(input: Uint8Array, args: string[]): ReturnType<typeof readTinyTiff> {
  const source = join(work, 'in.tif');
  const target = join(work, 'out.tif');
  writeFileSync(source, input);
  execFileSync(requireTool('tiffcp'), ['-r', '100000', ...args, source, target]);
  return readTinyTiff(readFileSync(target));
}

function assertSameRows(actual: Uint8Array, page: BilevelPage, label: string): void {
  assert.equal(actual.length, page.data.length, `${label}: size`);
  assert.ok(Buffer.from(actual).equals(Buffer.from(page.data)), `${label}: pixels differ`);
}

const OURS: [string, EncodeOptions][] = [
  ['mh', { compression: 'mh' }],
  ['mh fill', { compression: 'mh', byteAlignEol: true }],
  ['mr k=2', { compression: 'mr', k: 2 }],
  ['mr k=4', { compression: 'mr', k: 4 }],
  ['mr k=2 fill', { compression: 'mr', k: 2, byteAlignEol: true }],
  ['mr k=4 fill', { compression: 'mr', k: 4, byteAlignEol: true }],
  ['mmr', { compression: 'mmr' }],
];

describe('our coding decoded by libtiff', () => {
  for (const [label, options] of OURS) {
    it(`${label}: ITU charts 1-8 pixel-exact through tiffcp -c none`, () => {
      for (let n = 1; n <= 8; n++) {
        const page = chart(n);
        const t4Options = (options.compression === 'mr' ? 1 : 0) | (options.byteAlignEol ? 4 : 0);
        const compression = options.compression === 'mmr' ? TIFF_GROUP4 : TIFF_GROUP3;
        const data = encodePage(page, options);
        const tiff = writeTinyTiff({
          width: page.width,
          height: page.height,
          compression,
          fillOrder: 1,
          t4Options,
          data,
        });
        const out = tiffcp(tiff, ['-c', 'none']);
        assert.equal(out.photometric, 0);
        assertSameRows(out.data, page, `${label} chart ${n}`);
      }
    });
  }
});

const THEIRS: [string, string[], Compression][] = [
  ['g3:1d', ['-c', 'g3:1d'], 'mh'],
  ['g3:1d:fill', ['-c', 'g3:1d:fill'], 'mh'],
  ['g3:2d', ['-c', 'g3:2d'], 'mr'],
  ['g3:2d:fill', ['-c', 'g3:2d:fill'], 'mr'],
  ['g4', ['-c', 'g4'], 'mmr'],
  ['g3:2d lsb2msb', ['-c', 'g3:2d', '-f', 'lsb2msb'], 'mr'],
  ['g4 lsb2msb', ['-c', 'g4', '-f', 'lsb2msb'], 'mmr'],
];

describe('libtiff coding decoded by us', () => {
  for (const [label, args, compression] of THEIRS) {
    it(`${label}: ITU charts 1-8 pixel-exact`, () => {
      for (let n = 1; n <= 8; n++) {
        const page = chart(n);
        const raw = writeTinyTiff({ ...page, compression: TIFF_NONE, fillOrder: 1, t4Options: 0, data: page.data });
        const coded = tiffcp(raw, args);
        const expectedFillOrder = args.includes('lsb2msb') ? 2 : 1;
        assert.equal(coded.fillOrder, expectedFillOrder);
        const data = coded.fillOrder === 2 ? reverseBits(coded.data) : coded.data;
        const decoded = decodePage(data, { compression, width: coded.width, height: coded.height });
        assert.equal(decoded.badRows, 0, `${label} chart ${n}`);
        assertSameRows(decoded.page.data, page, `${label} chart ${n}`);
      }
    });
  }

  it('pbmtog3 output (MH with EOLs and RTC) decodes to the chart', () => {
    for (const n of [1, 4, 7]) {
      const coded = execFileSync(requireTool('pbmtog3'), [ituChartPath(n)], { maxBuffer: 1 << 24 });
      const decoded = decodePage(coded, { compression: 'mh', width: 1728 });
      assert.equal(decoded.badRows, 0);
      assert.equal(decoded.endOfPage, true);
      assertSameRows(decoded.page.data, chart(n), `pbmtog3 chart ${n}`);
    }
  });
});
