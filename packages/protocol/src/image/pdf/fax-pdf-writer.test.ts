// Fax PDF output rendered by poppler (pdftoppm) at the page resolution and compared pixel for pixel with the source.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gsRenderPage } from '../../testing/gs-render.js';
import { ituChartPath } from '../../testing/paths.js';
import { parsePbm, readPbm } from '../../testing/pbm.js';
import { requireTool } from '../../testing/system-tools.js';
import { encodePage } from '../codec.js';
import { type BilevelPage, createPage, samePixels } from '../page.js';
import { readTiffDocument, readTiffStrips } from '../tiff/tiff-reader.js';
import { type FaxPdfPage, writeFaxPdf } from './fax-pdf-writer.js';

const work = mkdtempSync(join(tmpdir(), 'faxd-pdf-'));
after(() => rmSync(work, { recursive: true, force: true }));

const asPdfPage = (page: BilevelPage): FaxPdfPage => ({ ...page, mmrData: encodePage(page, { compression: 'mmr' }) });

function save(bytes: Uint8Array, name: string): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

/** Page `n` (1-based) rendered by pdftoppm at the page's own resolution, as a bilevel page. */
function render(pdf: string, n: number, page: BilevelPage): BilevelPage {
  const args = [
    '-mono',
    '-f',
    String(n),
    '-l',
    String(n),
    '-rx',
    String(page.xResolution),
    '-ry',
    String(page.yResolution),
  ];
  return parsePbm(execFileSync(requireTool('pdftoppm'), [...args, pdf], { maxBuffer: 1 << 26 }));
}

/** A page whose top-left quarter is black and the rest white: inverted polarity or a flipped image cannot match it. */
function quarterPage(): BilevelPage {
  const page = createPage({ width: 64, height: 40, xResolution: 204, yResolution: 98 });
  for (let row = 0; row < 20; row++) page.data.fill(0xff, row * 8, row * 8 + 4);
  return page;
}

describe('writeFaxPdf', () => {
  const charts = [
    { ...readPbm(ituChartPath(1)), yResolution: 196 },
    { ...readPbm(ituChartPath(2)), yResolution: 98 },
    { ...readPbm(ituChartPath(5)), yResolution: 391 },
  ];

  it('pdftoppm and gs render each page pixel-exact at its resolution; pdfinfo reports pages and sizes', () => {
    const pdf = save(writeFaxPdf(charts.map(asPdfPage), { title: 'Fax (test)', producer: 'faxd' }), 'charts.pdf');
    charts.forEach((page, index) => {
      assert.ok(samePixels(render(pdf, index + 1, page), page), `pdftoppm page ${index + 1} pixels`);
      assert.ok(samePixels(gsRenderPage(pdf, index + 1, page, work), page), `gs page ${index + 1} pixels`);
    });
    const info = execFileSync(requireTool('pdfinfo'), ['-f', '1', '-l', '3', pdf], { encoding: 'utf8' });
    assert.match(info, /^Pages: +3$/m);
    assert.match(info, /^Title: +Fax \(test\)$/m);
    assert.match(info, /^Producer: +faxd$/m);
    // pdfinfo prints sizes to six significant digits; each must be pixels / dpi × 72 to that precision.
    charts.forEach((page, index) => {
      const size = new RegExp(`^Page +${index + 1} size: +([\\d.]+) x ([\\d.]+) pts`, 'm').exec(info);
      assert.ok(size, `pdfinfo size of page ${index + 1}`);
      assert.ok(Math.abs(Number(size[1]) - (page.width / page.xResolution) * 72) < 0.01, `page ${index + 1} width`);
      assert.ok(Math.abs(Number(size[2]) - (page.height / page.yResolution) * 72) < 0.01, `page ${index + 1} height`);
    });
    assert.doesNotMatch(info, /Syntax (Error|Warning)/);
  });

  it('black stays black: BlackIs1 false with DeviceGray shows coded black runs as black, top-left up', () => {
    const page = quarterPage();
    const rendered = render(save(writeFaxPdf([asPdfPage(page)]), 'quarter.pdf'), 1, page);
    assert.equal(rendered.data[0], 0xff, 'top-left pixels are black');
    assert.equal(rendered.data[rendered.data.length - 1], 0, 'bottom-right pixels are white');
    assert.ok(samePixels(rendered, page));
  });

  it('embeds libtiff G4 data unchanged and the xref offsets point at each object', () => {
    const tiff = join(work, 'g4.tif');
    const pbm = readFileSync(ituChartPath(3));
    writeFileSync(
      tiff,
      execFileSync(requireTool('pnmtotiff'), ['-miniswhite', '-g4', '-rowsperstrip', '100000'], { input: pbm }),
    );
    const bytes = new Uint8Array(readFileSync(tiff));
    const info = readTiffDocument(bytes).pages[0];
    assert.ok(info);
    const [mmrData] = readTiffStrips(bytes, info);
    assert.ok(mmrData);
    const source = { ...readPbm(ituChartPath(3)), yResolution: 196 };
    const pdf = writeFaxPdf([{ ...source, mmrData }], { creationDate: 'D:20261123065000Z' });
    const text = Buffer.from(pdf).toString('latin1');
    assert.ok(Buffer.from(pdf).includes(Buffer.from(mmrData)), 'G4 data embedded byte for byte');
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    assert.ok(text.startsWith('xref\n0 7\n', xref));
    const entries = text.slice(xref).split('\n').slice(3, 9);
    entries.forEach((entry, index) => {
      assert.match(entry, /^\d{10} 00000 n $/);
      assert.ok(text.startsWith(`${index + 1} 0 obj\n`, Number(entry.slice(0, 10))), `object ${index + 1} offset`);
    });
    assert.ok(samePixels(render(save(pdf, 'g4.pdf'), 1, source), source));
  });

  it('refuses an empty document and a malformed creation date', () => {
    assert.throws(() => writeFaxPdf([]), RangeError);
    assert.throws(() => writeFaxPdf([asPdfPage(quarterPage())], { creationDate: '2026-11-23' }), RangeError);
  });
});
