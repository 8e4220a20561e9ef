// Reading libtiff-made TIFF files by positioned reads: the same pages as reading the whole file, from a reused buffer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DecodeError } from '../../bits/decode-error.js';
import { ituChartPath } from '../../testing/paths.js';
import { requireTool } from '../../testing/system-tools.js';
import { decodeTiffPage, readTiffDocument, transcodeTiffPage } from './tiff-reader.js';
import { readTiffSourceDocument, type TiffSource } from './tiff-source.js';

const work = mkdtempSync(join(tmpdir(), 'faxd-tiff-source-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(program: string, args: string[], input?: Uint8Array): Buffer {
  return execFileSync(requireTool(program), args, { input, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Charts 1 and 2 as one TIFF that tiffcp writes with `args`. */
function libtiffFile(name: string, args: string[], photometric = '-miniswhite'): Uint8Array {
  const inputs = [1, 2].map((n) => {
    const path = join(work, `${name}-itu${n}.tif`);
    const pbm = readFileSync(ituChartPath(n));
    writeFileSync(path, run('pnmtotiff', [photometric, '-xresolution', '204', '-yresolution', '196', '-none'], pbm));
    return path;
  });
  const out = join(work, `${name}.tif`);
  run('tiffcp', [...args, ...inputs, out]);
  return new Uint8Array(readFileSync(out));
}

/**
 * A source over bytes in memory that behaves as a file read into one reused buffer: each read overwrites what the
 * last returned, so anything the reader keeps without copying shows up as wrong pixels.
 */
function reusedBufferSource(file: Uint8Array): TiffSource & { reads: number; bytesRead: number } {
  const buffer = new Uint8Array(file.length);
  return {
    size: file.length,
    reads: 0,
    bytesRead: 0,
    read(offset, length) {
      assert.ok(offset >= 0 && offset + length <= file.length, `read of ${length} bytes at ${offset} inside the file`);
      this.reads++;
      this.bytesRead += length;
      buffer.fill(0xa5);
      buffer.set(file.subarray(offset, offset + length));
      return buffer.subarray(0, length);
    },
  };
}

describe('readTiffSourceDocument on libtiff output', () => {
  const variants: [string, string[], string?][] = [
    ['uncompressed, one strip', ['-c', 'none', '-r', '2376']],
    ['uncompressed in strips of 64 rows', ['-c', 'none', '-r', '64']],
    ['uncompressed FillOrder 2', ['-c', 'none', '-f', 'lsb2msb', '-r', '2376']],
    ['uncompressed BlackIsZero', ['-c', 'none', '-r', '2376'], '-minisblack'],
    ['packbits in strips of 64 rows', ['-c', 'packbits', '-r', '64']],
    ['g3:1d', ['-c', 'g3:1d', '-r', '2376']],
    ['g3:2d:fill FillOrder 2', ['-c', 'g3:2d:fill', '-f', 'lsb2msb', '-r', '2376']],
    ['g4 in strips of 64 rows', ['-c', 'g4', '-r', '64']],
    ['g4 big-endian', ['-c', 'g4', '-B', '-r', '2376']],
  ];
  for (const [name, args, photometric] of variants) {
    it(`${name}: the pages and damage reading the whole file gives`, () => {
      const file = libtiffFile(name.replace(/\W+/g, '-'), args, photometric);
      const whole = readTiffDocument(file);
      const source = reusedBufferSource(file);
      const document = readTiffSourceDocument(source);
      assert.deepEqual(document.pages, whole.pages, 'page descriptions');
      const directoryReads = source.reads;
      assert.ok(directoryReads <= 1 + 2 * whole.pages.length, `${directoryReads} reads for the directories`);
      assert.ok(source.bytesRead < file.length, 'the directories are read without the whole file');
      for (const [index, info] of document.pages.entries()) {
        const expected = decodeTiffPage(file, info);
        // Copied before the next read, as a caller holding a page past it must.
        const actual = decodeTiffPage(source, info);
        assert.deepEqual(actual.page.data.slice(), expected.page.data, `page ${index + 1} pixels`);
        assert.equal(actual.badRows, expected.badRows, `page ${index + 1} bad rows`);
        const recoded = transcodeTiffPage(source, info, 'mmr');
        assert.deepEqual(recoded, transcodeTiffPage(file, info, 'mmr'), `page ${index + 1} recoded`);
      }
    });
  }
});

describe('readTiffSourceDocument refusals', () => {
  const file = libtiffFile('refusals', ['-c', 'g4', '-r', '2376']);
  it('refuses a file cut short inside a strip, as the whole-file reader does', () => {
    const cut = file.subarray(0, file.length - 100);
    assert.throws(() => readTiffDocument(cut), DecodeError);
    // tiffcp writes each directory after its strip, so a cut file loses the last directory or its strip.
    assert.throws(() => readTiffSourceDocument(reusedBufferSource(cut)), DecodeError);
  });
  it('refuses a file shorter than the header without reading past its end', () => {
    assert.throws(() => readTiffSourceDocument(reusedBufferSource(file.subarray(0, 5))), /only 5 bytes/);
  });
});
