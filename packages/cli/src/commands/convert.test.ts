import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { readTiff, samePixels } from '@faxd/protocol';
import { formFeeds, simplePdf, tiffDeclaring } from '@faxd/protocol/testing/hostile-documents';
import { ituChartPath, repoRoot } from '@faxd/protocol/testing/paths';
import { parsePbm } from '@faxd/protocol/testing/pbm';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import { workDirs } from '@faxd/protocol/testing/work-dirs';

const FAX = fileURLToPath(new URL('../fax.js', import.meta.url));
const letterPdf = join(repoRoot(), 'samples', 'letter.pdf');

function fax(args: string[], cwd: string) {
  return spawnSync(process.execPath, [FAX, ...args], { cwd, encoding: 'utf8' });
}

const workDir = workDirs('faxd-convert-');

/** A white PNG of `width` × `height` pixels, a bit each (PNG §11.2.2 IHDR, colour type 0 at bit depth 1). */
function blankPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8);
  // Each row: filter type 0, then the row's bits, all 1 (white).
  const row = Buffer.alloc(1 + Math.ceil(width / 8), 0xff);
  row[0] = 0;
  const rows = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(rows, y * row.length);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A G4 TIFF of ITU chart 1 at fine resolution, written by libtiff. */
function libtiffChart(dir: string): string {
  requireTool('pnmtotiff');
  requireTool('tiffcp');
  execFileSync(
    'sh',
    [
      '-c',
      `pnmtotiff -xresolution 204 -yresolution 196 ${ituChartPath(1)} > chart.tif && tiffcp -c g4 chart.tif chart-g4.tif`,
    ],
    { cwd: dir },
  );
  return join(dir, 'chart-g4.tif');
}

describe('fax convert', () => {
  it('keeps a fax-geometry TIFF pixel for pixel, in every compression', () => {
    const dir = workDir();
    const input = libtiffChart(dir);
    const chart = parsePbm(readFileSync(ituChartPath(1)));
    for (const compression of ['mh', 'mr', 'mmr']) {
      const result = fax(['convert', input, '-o', `out-${compression}.tif`, '--compression', compression], dir);
      assert.equal(result.status, 0, result.stderr);
      const [page] = readTiff(readFileSync(join(dir, `out-${compression}.tif`)));
      assert.ok(samePixels(page.page, chart), `${compression} output equals the chart`);
      assert.equal(page.info.yResolution, 196);
    }
  });

  it('concatenates inputs in order and names PNG pages NAME-n.png', () => {
    const dir = workDir();
    const input = libtiffChart(dir);
    writeFileSync(join(dir, 'note.txt'), 'A cover note.\n');
    const result = fax(['convert', 'note.txt', input, letterPdf, '-o', 'all.tif'], dir);
    assert.equal(result.status, 0, result.stderr);
    const pages = readTiff(readFileSync(join(dir, 'all.tif')));
    assert.equal(pages.length, 4);
    assert.ok(samePixels(pages[1].page, parsePbm(readFileSync(ituChartPath(1)))), 'the chart is page 2');
    // The file is written page by page and its page count filled in at the end: libtiff reads every directory,
    // each numbered n of 4, and finds none after the last.
    const info = execFileSync(requireTool('tiffinfo'), ['all.tif'], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(
      [...info.matchAll(/Page Number: (\d+)-(\d+)/g)].map((match) => `${match[1]}/${match[2]}`),
      ['0/4', '1/4', '2/4', '3/4'],
    );
    assert.equal(fax(['convert', letterPdf, '-o', 'letter.png', '--resolution', 'standard'], dir).status, 0);
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => f.startsWith('letter'))
        .sort(),
      ['letter-1.png', 'letter-2.png'],
    );
  });

  it('writes a PDF that renders back to the same pixels', () => {
    requireTool('pdftoppm');
    const dir = workDir();
    const input = libtiffChart(dir);
    assert.equal(fax(['convert', input, '-o', 'chart.pdf'], dir).status, 0);
    execFileSync('pdftoppm', ['-rx', '204', '-ry', '196', '-mono', 'chart.pdf', 'back'], { cwd: dir });
    const back = parsePbm(readFileSync(join(dir, 'back-1.pbm')));
    assert.ok(samePixels(back, parsePbm(readFileSync(ituChartPath(1)))));
  });

  /** Writes one input file and returns its name as the command's argument list. */
  function writeInput(dir: string, name: string, content: Uint8Array | string): string[] {
    writeFileSync(join(dir, name), content);
    return [name];
  }

  const badInputs: [string, (dir: string) => string[], RegExp][] = [
    [
      'a file that is not a document',
      (d) => writeInput(d, 'x.bin', Uint8Array.of(0, 1, 2, 255)),
      /unknown document format/,
    ],
    ['a truncated TIFF', (d) => writeInput(d, 't.tif', readFileSync(libtiffChart(d)).subarray(0, 100)), /t\.tif/],
    [
      'a PDF with no pages',
      (d) =>
        writeInput(
          d,
          'e.pdf',
          '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
        ),
      /PDF/,
    ],
    ['a missing file', () => ['missing.pdf'], /missing\.pdf: no such file or directory/],
    // Documents that ask for more than a faxd job may have, refused under the same limits before being drawn.
    [
      '2 KB of form feeds',
      (d) => writeInput(d, 'ff.txt', formFeeds(2048)),
      /^fax: ff\.txt: 2051 pages, over the limit of 500 pages per job$/m,
    ],
    [
      'a TIFF declaring 8 pages of 16000 x 16000',
      (d) => writeInput(d, 'huge.tif', tiffDeclaring(8, 16000, 16000)),
      /^fax: huge\.tif: page 1 is 16000 x 16000 pixels, over the limit of 50000000 pixels per page$/m,
    ],
    [
      'a TIFF page 1 x 2^28',
      (d) => writeInput(d, 'thin.tif', tiffDeclaring(1, 1, 2 ** 28)),
      /^fax: thin\.tif: .*unusable image size 1 x 268435456/m,
    ],
    [
      'a 100-megapixel PNG',
      (d) => writeInput(d, 'huge.png', blankPng(10_000, 10_000)),
      /^fax: huge\.png: page 1 is 10000 x 10000 pixels, over the limit of 50000000 pixels per page$/m,
    ],
    [
      'a PDF of 10,000 pages',
      (d) => writeInput(d, 'long.pdf', simplePdf(10_000)),
      /^fax: long\.pdf: 10002 pages, over the limit of 500 pages per job$/m,
    ],
    ['an unreadable file (a directory)', (d) => [d], /is a directory/],
  ];
  for (const [name, make, message] of badInputs) {
    it(`refuses ${name} with exit 1, a message, no stack trace and no output file`, () => {
      const dir = workDir();
      copyFileSync(letterPdf, join(dir, 'good.pdf'));
      const result = fax(['convert', 'good.pdf', ...make(dir), '-o', 'out.tif'], dir);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^fax: /);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!readdirSync(dir).some((f) => f.startsWith('out')), 'no partial output');
    });
  }

  it('refuses an unknown output extension and bad option values', () => {
    const dir = workDir();
    const cases = [
      [['convert', letterPdf, '-o', 'out.docx'], /\.tif, \.tiff, \.pdf or \.png/],
      [['convert', letterPdf, '-o', 'out.tif', '--paper', 'a5'], /--paper must be one of a4, letter, legal, b4/],
      [['convert', letterPdf], /no output file/],
      [['convert', letterPdf, '-o', 'o.tif', '--bogus'], /Unknown option '--bogus'/],
    ] as const;
    for (const [args, message] of cases) {
      const result = fax([...args], dir);
      assert.equal(result.status, 1, args.join(' '));
      assert.match(result.stderr, message);
    }
    assert.deepEqual(readdirSync(dir), []);
  });
});
