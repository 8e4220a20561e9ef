// Reading libtiff- and netpbm-made TIFF files: every coding, fill order, strip layout and byte order, plus refusals.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import { ituChartPath } from '../../testing/paths.js';
import { readPbm } from '../../testing/pbm.js';
import { requireTool } from '../../testing/system-tools.js';
import { TIFF_GROUP4, writeTinyTiff } from '../../testing/tiny-tiff.js';
import { type BilevelPage, samePixels } from '../page.js';
import { readTiff, readTiffDocument, readTiffStrips } from './tiff-reader.js';

const work = mkdtempSync(join(tmpdir(), 'faxd-tiff-reader-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(program: string, args: string[], input?: Uint8Array): Buffer {
  return execFileSync(requireTool(program), args, { input, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Chart n as an uncompressed single-strip MinIsWhite TIFF at 204 x 196 dpi, written by netpbm. */
function baseTiff(n: number): string {
  const path = join(work, `itu${n}.tif`);
  const pbm = readFileSync(ituChartPath(n));
  const args = ['-miniswhite', '-xresolution', '204', '-yresolution', '196', '-rowsperstrip', '100000'];
  writeFileSync(path, run('pnmtotiff', args, pbm));
  return path;
}

function tiffcp(args: string[], inputs: string[], name: string): Uint8Array {
  const out = join(work, name);
  run('tiffcp', [...args, ...inputs, out]);
  return new Uint8Array(readFileSync(out));
}

const chart1 = readPbm(ituChartPath(1));
const chart2 = readPbm(ituChartPath(2));
const base1 = baseTiff(1);
const base2 = baseTiff(2);

function assertPage(actual: BilevelPage, expected: BilevelPage, label: string): void {
  assert.equal(actual.width, expected.width, `${label}: width`);
  assert.equal(actual.height, expected.height, `${label}: height`);
  assert.ok(samePixels(actual, expected), `${label}: pixels differ`);
}

describe('readTiff on libtiff output', () => {
  const variants: [string, string[], string, number][] = [
    ['uncompressed', ['-c', 'none'], 'none', 1],
    ['g3:1d', ['-c', 'g3:1d'], 'mh', 1],
    ['g3:2d', ['-c', 'g3:2d'], 'mr', 1],
    ['g3:2d:fill', ['-c', 'g3:2d:fill'], 'mr', 1],
    ['g4', ['-c', 'g4'], 'mmr', 1],
    ['packbits', ['-c', 'packbits'], 'packbits', 1],
    ['g4 FillOrder 2', ['-c', 'g4', '-f', 'lsb2msb'], 'mmr', 2],
    ['g3:2d FillOrder 2', ['-c', 'g3:2d', '-f', 'lsb2msb'], 'mr', 2],
    ['uncompressed FillOrder 2', ['-c', 'none', '-f', 'lsb2msb'], 'none', 2],
  ];
  for (const [label, args, coding, fillOrder] of variants) {
    it(`${label}: pixels equal the chart`, () => {
      const bytes = tiffcp([...args, '-r', '100000'], [base1], `${label.replace(/\W/g, '_')}.tif`);
      const [page, ...rest] = readTiff(bytes);
      assert.equal(rest.length, 0);
      assert.ok(page);
      assert.equal(page.info.coding, coding);
      assert.equal(page.info.fillOrder, fillOrder);
      assert.equal(page.info.strips.length, 1);
      assert.equal(page.badRows, 0);
      assert.deepEqual([page.info.xResolution, page.info.yResolution], [204, 196]);
      assertPage(page.page, chart1, label);
    });
  }

  for (const compression of ['g3:1d', 'g3:2d', 'g4', 'none']) {
    it(`${compression} in strips of 100 rows: each strip decoded on its own`, () => {
      const bytes = tiffcp(['-c', compression, '-r', '100'], [base1], `strips-${compression}.tif`);
      const [page] = readTiff(bytes);
      assert.ok(page);
      assert.equal(page.info.strips.length, Math.ceil(2376 / 100));
      assert.equal(page.badRows, 0);
      assertPage(page.page, chart1, `${compression} strips`);
    });
  }

  it('big-endian (tiffcp -B) g4 and uncompressed', () => {
    for (const compression of ['g4', 'none']) {
      const bytes = tiffcp(['-B', '-c', compression], [base1], `be-${compression}.tif`);
      assert.equal(String.fromCharCode(bytes[0] as number, bytes[1] as number), 'MM');
      const [page] = readTiff(bytes);
      assert.ok(page);
      assertPage(page.page, chart1, `big-endian ${compression}`);
    }
  });

  it('MinIsBlack from pnmtotiff -minisblack is inverted back to 1 = black', () => {
    const bytes = new Uint8Array(run('pnmtotiff', ['-minisblack'], readFileSync(ituChartPath(2))));
    const [page] = readTiff(bytes);
    assert.ok(page);
    assert.equal(page.info.photometric, 1);
    assert.ok(page.info.strips.length > 1);
    assertPage(page.page, chart2, 'minisblack');
  });

  it('multipage (tiffcp a.tif b.tif out.tif) yields both pages in order', () => {
    const bytes = tiffcp(['-c', 'g4'], [base1, base2], 'two.tif');
    const pages = readTiff(bytes);
    assert.equal(pages.length, 2);
    assertPage((pages[0] as (typeof pages)[0]).page, chart1, 'page 1');
    assertPage((pages[1] as (typeof pages)[0]).page, chart2, 'page 2');
  });

  it('centimetre resolution is converted to dpi', () => {
    const pbm = readFileSync(ituChartPath(1));
    const args = ['-miniswhite', '-resolutionunit', 'centimeter', '-xresolution', '80.3', '-yresolution', '38.5'];
    const [page] = readTiffDocument(new Uint8Array(run('pnmtotiff', args, pbm))).pages;
    assert.deepEqual([page?.xResolution, page?.yResolution], [204, 98]);
  });

  it('readTiffStrips gives G4 data unchanged, reversed to MSB-first for FillOrder 2', () => {
    const msb = tiffcp(['-c', 'g4'], [base1], 'raw-msb.tif');
    const lsb = tiffcp(['-c', 'g4', '-f', 'lsb2msb'], [base1], 'raw-lsb.tif');
    const strips = (bytes: Uint8Array): Uint8Array[] => {
      const [info] = readTiffDocument(bytes).pages;
      assert.ok(info);
      return readTiffStrips(bytes, info);
    };
    const [a] = strips(msb);
    const [b] = strips(lsb);
    assert.ok(a && b && a.length > 0);
    // The LSB-first file does not hold the MSB-first bytes: the reader really reversed them.
    assert.ok(!Buffer.from(lsb).includes(Buffer.from(a.subarray(0, 64))));
    assert.deepEqual(b, a);
  });
});

describe('readTiff refusals', () => {
  const refuses = (bytes: Uint8Array, pattern: RegExp): void => {
    assert.throws(
      () => readTiff(bytes),
      (error: unknown) => error instanceof DecodeError && pattern.test(error.message),
    );
  };

  it('not a TIFF', () => {
    refuses(new Uint8Array(readFileSync(ituChartPath(1))).subarray(0, 100), /not a TIFF/);
    refuses(new Uint8Array([0x49, 0x49]), /not a TIFF/);
    refuses(new Uint8Array([0x49, 0x49, 43, 0, 8, 0, 0, 0]), /BigTIFF/);
  });

  it('greyscale, palette and RGB images', () => {
    refuses(new Uint8Array(run('pnmtotiff', [], run('pgmmake', ['0.5', '16', '16']))), /not a bilevel image/);
    refuses(new Uint8Array(run('pnmtotiff', [], run('ppmmake', ['red', '16', '16']))), /bilevel/);
    const rgb = new Uint8Array(run('pnmtotiff', ['-truecolor'], run('ppmmake', ['red', '16', '16'])));
    refuses(rgb, /not a bilevel image/);
  });

  it('pages past the pixel or row cap, before decoding them', () => {
    const declaring = (width: number, height: number) =>
      writeTinyTiff({ width, height, compression: TIFF_GROUP4, fillOrder: 1, t4Options: 0, data: Uint8Array.of(0) });
    // A page a pixel wide passes a pixel cap, but every row costs a decoder time and a bitmap a byte.
    refuses(declaring(1, 2 ** 28), /unusable image size 1 x 268435456/);
    refuses(declaring(1, 65537), /unusable image size/);
    refuses(declaring(16384, 16385), /unusable image size/);
    assert.equal(readTiffDocument(declaring(1, 65536)).pages[0].height, 65536, 'the codec row cap itself is allowed');
  });

  it('a resolution under a dot per inch reads as the default 204 x 196', () => {
    const image = {
      width: 1728,
      height: 1,
      compression: TIFF_GROUP4,
      fillOrder: 1,
      t4Options: 0,
      data: Uint8Array.of(0),
    };
    const tiff = writeTinyTiff(image);
    // The XResolution rational, 204/1 as written, becomes 1/5000.
    const view = new DataView(tiff.buffer);
    const rationals = tiff.length - image.data.length - 16;
    view.setUint32(rationals, 1, true);
    view.setUint32(rationals + 4, 5000, true);
    const [page] = readTiffDocument(tiff).pages;
    assert.deepEqual([page.xResolution, page.yResolution], [204, 196]);
  });

  it('LZW is named', () => {
    refuses(tiffcp(['-c', 'lzw'], [base1], 'lzw.tif'), /unsupported compression LZW/);
  });

  it('tiled images', () => {
    refuses(tiffcp(['-c', 'none', '-t'], [base1], 'tiled.tif'), /tiled/);
  });

  it('IFD loop', () => {
    const bytes = tiffcp(['-c', 'g4'], [base1], 'loop.tif');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const first = view.getUint32(4, true);
    const count = view.getUint16(first, true);
    view.setUint32(first + 2 + count * 12, first, true);
    refuses(bytes, /loops/);
  });

  it('truncated anywhere: DecodeError or a readable prefix, never another error', () => {
    const bytes = tiffcp(['-c', 'g4'], [base1, base2], 'cut.tif');
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
      try {
        readTiff(bytes.subarray(0, cut));
      } catch (error) {
        assert.ok(error instanceof DecodeError, `cut at ${cut}: ${String(error)}`);
      }
    }
    for (let cut = bytes.length - 400; cut < bytes.length; cut++) {
      assert.throws(() => readTiff(bytes.subarray(0, cut)), DecodeError, `cut at ${cut}`);
    }
  });
});

describe('readTiff fuzz', () => {
  const valid = (() => {
    const pbm = Buffer.from('P4\n64 40\n');
    const rows = Buffer.alloc(8 * 40);
    for (let i = 0; i < rows.length; i++) rows[i] = (i * 37) & 0xff;
    const source = join(work, 'fuzz.tif');
    writeFileSync(source, run('pnmtotiff', ['-miniswhite', '-g4'], Buffer.concat([pbm, rows])));
    return new Uint8Array(readFileSync(source));
  })();

  const onlyDecodeErrors = (bytes: Uint8Array): void => {
    try {
      readTiff(bytes);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
    }
  };

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyDecodeErrors), { numRuns: 500 });
  });

  it('random bytes behind a TIFF header', () => {
    const header = fc.constantFrom([0x49, 0x49, 42, 0, 8, 0, 0, 0], [0x4d, 0x4d, 0, 42, 0, 0, 0, 8]);
    const tail = fc.uint8Array({ minLength: 2, maxLength: 600 });
    fc.assert(
      fc.property(header, tail, (head, rest) => onlyDecodeErrors(new Uint8Array([...head, ...rest]))),
      { numRuns: 500 },
    );
  });

  it('mutations of a valid G4 TIFF', () => {
    const mutation = fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(mutation, (changes) => {
        const bytes = valid.slice();
        for (const [at, value] of changes) bytes[at] = value;
        onlyDecodeErrors(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});
