// TIFF Class F output checked by libtiff (tiffinfo, tiffdump, tiffcp) and netpbm (tifftopnm), and read back by our reader.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { concatBytes } from '../../bits/concat-bytes.js';
import { libtiffPages } from '../../testing/libtiff-pages.js';
import { ituChartPath } from '../../testing/paths.js';
import { parsePbm, readPbm } from '../../testing/pbm.js';
import { requireTool } from '../../testing/system-tools.js';
import { type BilevelPage, pageFromRows, samePixels } from '../page.js';
import { readTiff } from './tiff-reader.js';
import {
  codeTiffPage,
  TiffClassFWriter,
  type TiffWriteOptions,
  type TiffWritePage,
  writeTiffClassF,
} from './tiff-writer.js';

const work = mkdtempSync(join(tmpdir(), 'faxd-tiff-writer-'));
after(() => rmSync(work, { recursive: true, force: true }));

const withResolution = (page: BilevelPage, yResolution: number): BilevelPage => ({ ...page, yResolution });
// Three pages at the three T.4 vertical resolutions; the second carries reception-quality tags.
const pages: TiffWritePage[] = [
  { page: withResolution(readPbm(ituChartPath(1)), 196) },
  {
    page: withResolution(readPbm(ituChartPath(2)), 98),
    quality: { badFaxLines: 7, cleanFaxData: 1, consecutiveBadFaxLines: 3 },
  },
  { page: withResolution(readPbm(ituChartPath(4)), 391) },
];

function save(bytes: Uint8Array, name: string): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

/** tiffinfo's report; fails when libtiff prints anything on stderr (warnings about our tags or layout). */
function tiffinfo(path: string): string {
  const result = spawnSync(requireTool('tiffinfo'), [path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '', `tiffinfo warned: ${result.stderr}`);
  return result.stdout;
}

const CASES: [string, TiffWriteOptions, string, string][] = [
  ['mh', { compression: 'mh' }, 'CCITT Group 3', 'Group 3 Options: EOL padding (4 = 0x4)'],
  ['mr', { compression: 'mr' }, 'CCITT Group 3', 'Group 3 Options: 2-d encoding+EOL padding (5 = 0x5)'],
  ['mmr', { compression: 'mmr' }, 'CCITT Group 4', 'Group 4 Options: (0 = 0x0)'],
  ['mh lsb', { compression: 'mh', fillOrder: 2 }, 'CCITT Group 3', 'FillOrder: lsb-to-msb'],
  ['mr lsb', { compression: 'mr', fillOrder: 2 }, 'CCITT Group 3', 'FillOrder: lsb-to-msb'],
  ['mmr lsb', { compression: 'mmr', fillOrder: 2 }, 'CCITT Group 4', 'FillOrder: lsb-to-msb'],
];

describe('writeTiffClassF', () => {
  for (const [label, options, scheme, optionLine] of CASES) {
    it(`${label}: libtiff accepts the 3-page file and decodes the ITU charts exactly`, () => {
      const bytes = writeTiffClassF(pages, { ...options, software: 'faxd', dateTime: '2026:11:23 06:50:00' });
      const path = save(bytes, `${label.replace(' ', '-')}.tif`);
      const info = tiffinfo(path);
      assert.equal(info.match(/=== TIFF directory/g)?.length, 3);
      assert.equal(info.match(new RegExp(`Compression Scheme: ${scheme}`, 'g'))?.length, 3);
      assert.ok(info.includes(optionLine), optionLine);
      for (const line of [
        'Subfile Type: multi-page document (2 = 0x2)',
        'Image Width: 1728 Image Length: 2376',
        'Photometric Interpretation: min-is-white',
        'Resolution: 204, 196 pixels/inch',
        'Resolution: 204, 98 pixels/inch',
        'Resolution: 204, 391 pixels/inch',
        'Page Number: 0-3',
        'Page Number: 2-3',
        'Software: faxd',
        'DateTime: 2026:11:23 06:50:00',
        'Fax Data: receiver regenerated (1 = 0x1)',
        'Bad Fax Lines: 7',
        'Consecutive Bad Fax Lines: 3',
      ]) {
        assert.ok(info.includes(line), `tiffinfo lacks "${line}"`);
      }
      libtiffPages(path, 3).forEach((decoded, n) => {
        assert.ok(samePixels(decoded, (pages[n] as TiffWritePage).page), `libtiff page ${n + 1} pixels`);
      });
      const back = readTiff(bytes);
      assert.equal(back.length, 3);
      back.forEach((page, n) => {
        const source = (pages[n] as TiffWritePage).page;
        assert.ok(samePixels(page.page, source), `read back page ${n + 1}`);
        assert.deepEqual([page.page.xResolution, page.page.yResolution], [source.xResolution, source.yResolution]);
        assert.equal(page.badRows, 0);
      });
      assert.deepEqual(
        [back[1]?.info.badFaxLines, back[1]?.info.cleanFaxData, back[1]?.info.consecutiveBadFaxLines],
        [7, 1, 3],
      );
    });
  }

  it('tiffdump shows the Class F tags in ascending order, values word-aligned, IFD before its strip', () => {
    const bytes = writeTiffClassF(pages.slice(0, 1), { compression: 'mmr', software: 'faxd', imageDescription: 'x' });
    const dump = execFileSync(requireTool('tiffdump'), [save(bytes, 'dump.tif')], { encoding: 'utf8' });
    const tags = [...dump.matchAll(/^\w+ \((\d+)\) /gm)].map((match) => Number(match[1]));
    assert.deepEqual(
      tags,
      [254, 256, 257, 258, 259, 262, 266, 270, 273, 274, 277, 278, 279, 282, 283, 293, 296, 297, 305],
    );
    assert.match(dump, /^Directory 0: offset 8 \(0x8\) next 0 \(0\)$/m);
    assert.match(dump, /^XResolution \(282\) RATIONAL \(5\) 1<204>$/m);
    const stripOffset = Number(/^StripOffsets \(273\) LONG \(4\) 1<(\d+)>$/m.exec(dump)?.[1]);
    assert.ok(stripOffset > 8 && stripOffset % 2 === 0);
    // Out-of-line values (rationals, long strings) start on even offsets: check them in the raw IFD.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const count = view.getUint16(8, true);
    for (let i = 0; i < count; i++) {
      const entry = 10 + i * 12;
      const type = view.getUint16(entry + 2, true);
      const size = [0, 1, 1, 2, 4, 8][type] ?? 0;
      if (size * view.getUint32(entry + 4, true) > 4) assert.equal(view.getUint32(entry + 8, true) % 2, 0);
    }
  });

  it('uncompressed MinIsBlack round-trips through tifftopnm and our reader', () => {
    const page = pageFromRows({ width: 13, height: 3, xResolution: 204, yResolution: 98 }, new Uint8Array(6).fill(0));
    page.data.set([0xf0, 0x08, 0x00, 0x00, 0xff, 0xf8]);
    const bytes = writeTiffClassF([page], { compression: 'none', photometric: 1 });
    const [back] = readTiff(bytes);
    assert.equal(back?.info.photometric, 1);
    assert.ok(back && samePixels(back.page, page));
    const path = save(bytes, 'black.tif');
    assert.ok(tiffinfo(path).includes('Photometric Interpretation: min-is-black'));
    assert.ok(samePixels(parsePbm(execFileSync(requireTool('tifftopnm'), [path], { stdio: 'pipe' })), page));
  });

  it('pages coded ahead, with their quality, give the file written from their bitmaps', () => {
    const options: TiffWriteOptions = { compression: 'mmr', software: 'faxd', dateTime: '2026:12:07 10:00:00' };
    const coded = pages.map(({ page, quality }) => ({ ...codeTiffPage(page, options), quality }));
    const fromCoded = writeTiffClassF(coded, options);
    assert.deepEqual(fromCoded, writeTiffClassF(pages, options));
    assert.match(tiffinfo(save(fromCoded, 'coded.tif')), /Bad Fax Lines: 7/);
  });

  it('page by page without the page count, then patched, gives the file written whole (plus one pad byte at most)', () => {
    const options: TiffWriteOptions = { compression: 'mr', software: 'faxd', dateTime: '2026:11:23 06:50:00' };
    const whole = writeTiffClassF(pages, options);
    const writer = new TiffClassFWriter(options);
    const streamed = concatBytes(pages.flatMap((page) => writer.addPage(page)));
    // Before the patches the file is not yet the one written whole: page counts of 0, a link past the last page.
    assert.notDeepEqual(streamed.subarray(0, whole.length), whole);
    for (const patch of writer.finish()) streamed.set(patch.bytes, patch.offset);
    assert.ok(streamed.length - whole.length <= 1, `${streamed.length} bytes against ${whole.length}`);
    assert.deepEqual(streamed.subarray(0, whole.length), whole);
    const path = save(streamed, 'streamed.tif');
    const info = tiffinfo(path);
    assert.ok(info.includes('Page Number: 0-3') && info.includes('Page Number: 2-3'), info);
    libtiffPages(path, 3).forEach((decoded, n) => {
      assert.ok(samePixels(decoded, (pages[n] as TiffWritePage).page), `libtiff page ${n + 1} pixels`);
    });
  });

  it('a writer given the page count has nothing to patch; one given no page refuses to finish', () => {
    const writer = new TiffClassFWriter({ compression: 'mmr' }, 1);
    writer.addPage((pages[0] as TiffWritePage).page);
    assert.deepEqual(writer.finish(), []);
    assert.throws(() => new TiffClassFWriter({ compression: 'mmr' }).finish(), RangeError);
  });
});
