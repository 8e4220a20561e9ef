// forEachCodedPage: TIFF pages recoded without their bitmap come out as the bitmap path codes them, for files libtiff wrote.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Compression } from '@faxd/protocol/image/codec';
import { readTiffDocument, transcodeTiffPage } from '@faxd/protocol/image/tiff/tiff-reader';
import { type CodedTiffPage, codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { forEachCodedPage, forEachDocumentPage, type LoadOptions } from './load-pages.js';

/** Two ITU charts as one TIFF that tiffcp writes with `tiffcpArgs`, from WhiteIsZero TIFFs at the given resolution. */
function libtiffFile(
  dir: string,
  name: string,
  yResolution: number,
  tiffcpArgs: string[],
  photometric = '-miniswhite',
) {
  requireTool('pnmtotiff');
  requireTool('tiffcp');
  const pages = [1, 4].map((n) => {
    const path = join(dir, `${name}-chart${n}.tif`);
    const args = [photometric, '-xresolution', '204', '-yresolution', String(yResolution), ituChartPath(n)];
    execFileSync('sh', ['-c', `pnmtotiff ${args.join(' ')} > ${path}`]);
    return path;
  });
  const out = join(dir, `${name}.tif`);
  execFileSync('tiffcp', [...tiffcpArgs, ...pages, out]);
  return readFileSync(out);
}

async function bitmapPath(bytes: Uint8Array, options: LoadOptions, compression: Compression) {
  const pages: CodedTiffPage[] = [];
  await forEachDocumentPage(bytes, options, (page) => void pages.push(codeTiffPage(page, { compression })));
  return pages;
}

async function codedPath(bytes: Uint8Array, options: LoadOptions, compression: Compression) {
  const pages: CodedTiffPage[] = [];
  await forEachCodedPage(bytes, options, compression, (page) => void pages.push(page));
  return pages;
}

describe('forEachCodedPage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faxd-coded-pages-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files = {
    // Class F's layout: one strip a page, recoded without a bitmap.
    'G4, one strip a page': { bytes: libtiffFile(dir, 'g4', 196, ['-c', 'g4', '-r', '2376']), recoded: true },
    'MR with fill bits, least significant bit first': {
      bytes: libtiffFile(dir, 'mr', 196, ['-c', 'g3:2d:fill', '-f', 'lsb2msb', '-r', '2376']),
      recoded: true,
    },
    // Several strips a page each restart the coding: these pages take the bitmap path.
    'MH in strips of 64 rows': { bytes: libtiffFile(dir, 'mh', 196, ['-c', 'g3:1d', '-r', '64']), recoded: false },
    // BlackIsZero pages are inverted on their bitmap.
    'G4, BlackIsZero': {
      bytes: libtiffFile(dir, 'black', 196, ['-c', 'g4', '-r', '2376'], '-minisblack'),
      recoded: false,
    },
  };

  for (const [name, { bytes, recoded }] of Object.entries(files)) {
    it(`${name}: the strips the bitmap path codes, in every compression`, async () => {
      const document = readTiffDocument(bytes);
      assert.equal(document.pages.length, 2);
      for (const compression of ['mh', 'mr', 'mmr'] as const) {
        const expected = await bitmapPath(bytes, { paper: 'a4' }, compression);
        const actual = await codedPath(bytes, { paper: 'a4' }, compression);
        assert.deepEqual(actual, expected, compression);
        const direct = transcodeTiffPage(document.data, document.pages[0], compression);
        assert.equal(direct !== undefined, recoded, 'recoded without a bitmap');
      }
    });
  }

  it('draws the pages that change: standard resolution made fine goes through its bitmap', async () => {
    const bytes = libtiffFile(dir, 'standard', 98, ['-c', 'g4', '-r', '2376']);
    const options: LoadOptions = { paper: 'a4', resolution: 'fine' };
    const actual = await codedPath(bytes, options, 'mmr');
    assert.deepEqual(actual, await bitmapPath(bytes, options, 'mmr'));
    assert.equal(actual[0].shape.yResolution, 196);
    assert.equal(actual[0].shape.height, 2 * readTiffDocument(bytes).pages[0].height);
  });
});
