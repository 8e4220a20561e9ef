import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import { simplePdf } from '@faxd/protocol/testing/hostile-documents';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { parsePbm } from '@faxd/protocol/testing/pbm';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import sharp from 'sharp';
import { repeatedLetterPdf } from '../testing/letter-pdf.js';
import { DocumentError } from './document-error.js';
import { renderDocument } from './render-document.js';

const letterPdf = readFileSync(join(repoRoot(), 'samples', 'letter.pdf'));

function pixel(page: BilevelPage, x: number, y: number): boolean {
  return (page.data[y * page.stride + (x >> 3)] & (0x80 >> (x & 7))) !== 0;
}

function blackFraction(page: BilevelPage, x0: number, x1: number, y0: number, y1: number): number {
  let black = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(page, x, y)) black++;
  return black / ((x1 - x0) * (y1 - y0));
}

/** Ghostscript's rendering of the PDF at fax resolution as PBM pages (pixels 1 = black, rows packed like ours). */
function ghostscriptPages(pdf: Uint8Array, xdpi: number, ydpi: number): BilevelPage[] {
  requireTool('gs');
  const dir = mkdtempSync(join(tmpdir(), 'faxd-gs-'));
  writeFileSync(join(dir, 'in.pdf'), pdf);
  const args = ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pbmraw', `-r${xdpi}x${ydpi}`];
  try {
    execFileSync('gs', [...args, `-sOutputFile=${join(dir, 'p%d.pbm')}`, join(dir, 'in.pdf')]);
    return [1, 2].map((n) => parsePbm(readFileSync(join(dir, `p${n}.pbm`)), xdpi, ydpi));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('renderDocument: PDF', () => {
  it('renders the sample letter at fax geometry for each resolution', async () => {
    for (const [resolution, rows] of [
      ['standard', 1143],
      ['fine', 2286],
      ['superfine', 4573],
    ] as const) {
      const pages = await renderDocument(letterPdf, { paper: 'a4', resolution });
      assert.equal(pages.length, 2);
      for (const page of pages)
        assert.deepEqual(
          [page.width, page.height, page.yResolution],
          [1728, rows, { standard: 98, fine: 196, superfine: 391 }[resolution]],
        );
    }
  });

  // Page 1 is text, rules, a table and a filled circle: pixel for pixel within 3 % of Ghostscript. Page 2 has grey
  // fills, which both print as halftone screens of different phase, so there the ink density is compared instead.
  it('differs from Ghostscript in under 3 % of pixels on text and line art, and matches its grey density', async () => {
    const [ours1, ours2] = await renderDocument(letterPdf, { paper: 'a4', resolution: 'fine' });
    const [gs1, gs2] = ghostscriptPages(letterPdf, 204, 196);
    const left = Math.round((ours1.width - gs1.width) / 2);
    let differing = 0;
    for (let y = 0; y < gs1.height && y < ours1.height; y++) {
      for (let x = 0; x < gs1.width; x++) if (pixel(gs1, x, y) !== pixel(ours1, x + left, y)) differing++;
    }
    const share = differing / (gs1.width * Math.min(gs1.height, ours1.height));
    assert.ok(share < 0.03, `${(share * 100).toFixed(2)} % of pixels differ from Ghostscript`);
    assert.ok(blackFraction(ours1, 0, 1728, 0, 2286) > 0.01, 'the page has ink');
    // The first shaded row of the statement: 0.85 grey, so about 15 % ink on both.
    const band = [200, 1500, 312, 338] as const;
    const oursInk = blackFraction(ours2, band[0] + left, band[1] + left, band[2], band[3]);
    const gsInk = blackFraction(gs2, ...band);
    assert.ok(gsInk > 0.08 && Math.abs(oursInk - gsInk) < 0.05, `grey fill ink ${oursInk} vs Ghostscript ${gsInk}`);
  });

  it('draws rules thinner than a pixel as unbroken lines', async () => {
    // Rules of 0.1 to 0.5 pt at various offsets from the pixel grid; drawn anti-aliased and then thresholded, some
    // came out as dashes or not at all.
    const rules = [0.1, 0.2, 0.3, 0.5].flatMap((width, i) =>
      [0, 0.25, 0.5].map((shift, j) => ({ width, y: 700 - i * 60 - j * 20 - shift })),
    );
    const content = rules.map(({ width, y }) => `${width} w 100 ${y} m 500 ${y} l S`).join('\n');
    const [page] = await renderDocument(simplePdf(1, content), { paper: 'a4', resolution: 'fine' });
    // A4's 842 pt make 2292 rows at 196 lpi, 6 more than the fax page: the page is drawn shrunk by that much.
    const scale = 2286 / ((842 * 196) / 72);
    for (const { width, y } of rules) {
      const row = Math.round(((842 - y) * 196 * scale) / 72);
      for (let x = 400; x < 1300; x++) {
        const inked = [-2, -1, 0, 1, 2].some((dy) => pixel(page, x, row + dy));
        assert.ok(inked, `the ${width} pt rule at y = ${y} pt has a gap at column ${x}`);
      }
    }
  });

  it('draws a PDF long enough for a helper thread page for page as the short one', async () => {
    const pages = await renderDocument(repeatedLetterPdf(25), { paper: 'a4', resolution: 'fine' });
    const [first, second] = await renderDocument(letterPdf, { paper: 'a4', resolution: 'fine' });
    assert.equal(pages.length, 50);
    for (const [i, page] of pages.entries()) assert.ok(samePixels(page, i % 2 === 0 ? first : second), `page ${i + 1}`);
  });

  // A PDF of 32 KB or more boots a helper thread before its page count is known; these must end it and draw alone, or
  // refuse, as a small PDF would (a helper left running would keep the test process from exiting).
  it('draws a large PDF too short for a helper alone, as the same page made small', async () => {
    const stroke = '72 72 m 500 700 l S\n';
    const large = simplePdf(2, stroke.repeat(2000));
    assert.ok(large.length >= 32 * 1024);
    const pages = await renderDocument(large, { paper: 'a4', resolution: 'fine' });
    const [small] = await renderDocument(simplePdf(1, stroke), { paper: 'a4', resolution: 'fine' });
    assert.equal(pages.length, 2);
    assert.ok(blackFraction(small, 0, small.width, 0, small.height) > 0, 'the stroke is drawn');
    for (const page of pages) assert.ok(samePixels(page, small));
  });

  it('refuses a large PDF over the page limit and a large damaged one, as small ones', async () => {
    const tooLong = simplePdf(600);
    assert.ok(tooLong.length >= 32 * 1024);
    await assert.rejects(renderDocument(tooLong, { paper: 'a4', resolution: 'fine' }), (error: Error) => {
      assert.ok(error instanceof DocumentError);
      assert.equal(error.limit, 'pagesPerJob');
      return true;
    });
    const damaged = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(40 * 1024, 0x20)]);
    await assert.rejects(renderDocument(damaged, { paper: 'a4', resolution: 'fine' }), DocumentError);
  });

  it('refuses a damaged PDF and a PDF without pages', async () => {
    await assert.rejects(
      renderDocument(letterPdf.subarray(0, 300), { paper: 'a4', resolution: 'fine' }),
      DocumentError,
    );
    const empty = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    await assert.rejects(renderDocument(empty, { paper: 'a4', resolution: 'fine' }), (error: Error) => {
      assert.ok(error instanceof DocumentError);
      assert.match(error.message, /no pages|not a readable PDF/);
      return true;
    });
  });
});

describe('renderDocument: images', () => {
  it('thresholds a two-tone PNG exactly and places it at its own size', async () => {
    // 204 x 98 px at 204 dpi across: 1 in wide; a black left half.
    const raw = new Uint8Array(200 * 100).fill(255);
    for (let y = 0; y < 100; y++) raw.fill(0, y * 200, y * 200 + 100);
    const png = await sharp(raw, { raw: { width: 200, height: 100, channels: 1 } })
      .withMetadata({ density: 200 })
      .png()
      .toBuffer();
    const [page] = await renderDocument(png, { paper: 'a4', resolution: 'fine' });
    assert.deepEqual([page.width, page.height], [1728, 2286]);
    const left = (1728 - 204) >> 1;
    assert.ok(pixel(page, left + 5, 10) && pixel(page, left + 95, 90), 'left half black');
    assert.ok(!pixel(page, left + 110, 10) && !pixel(page, left + 200, 90), 'right half white');
    assert.ok(!pixel(page, left - 5, 10) && !pixel(page, 10, 500), 'outside the image white');
  });

  it('dithers a grey JPEG so that ink follows the grey level', async () => {
    // 1600 px at JPEG's default 72 dpi is wider than the page, so it is fitted to the page width.
    const raw = new Uint8Array(1600 * 800);
    for (let y = 0; y < 800; y++) for (let x = 0; x < 1600; x++) raw[y * 1600 + x] = x < 800 ? 64 : 192;
    const jpeg = await sharp(raw, { raw: { width: 1600, height: 800, channels: 1 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const [page] = await renderDocument(jpeg, { paper: 'letter', resolution: 'standard' });
    assert.deepEqual([page.width, page.height], [1728, 1075]);
    const darkShare = blackFraction(page, 100, 800, 50, 400);
    const lightShare = blackFraction(page, 950, 1650, 50, 400);
    assert.ok(Math.abs(darkShare - 0.75) < 0.05, `dark band ${darkShare}`);
    assert.ok(Math.abs(lightShare - 0.25) < 0.05, `light band ${lightShare}`);
  });

  it('refuses a damaged PNG', async () => {
    const png = await sharp(new Uint8Array(64 * 64), { raw: { width: 64, height: 64, channels: 1 } })
      .png()
      .toBuffer();
    await assert.rejects(renderDocument(png.subarray(0, 60), { paper: 'a4', resolution: 'fine' }), DocumentError);
  });
});

describe('renderDocument: text and unknown input', () => {
  it('paginates text by length and at form feeds', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');
    const pages = await renderDocument(Buffer.from(`${lines}\fcover note\n`), { paper: 'a4', resolution: 'fine' });
    assert.equal(pages.length, 5, '200 lines at 60 a page, then the form feed page');
    assert.ok(blackFraction(pages[0], 0, 1728, 130, 200) > 0.005, 'first text line inked');
    assert.equal(blackFraction(pages[4], 0, 1728, 400, 2286), 0, 'form feed page holds one line');
  });

  it('refuses empty and binary input', async () => {
    await assert.rejects(renderDocument(new Uint8Array(0), { paper: 'a4', resolution: 'fine' }), /empty/);
    await assert.rejects(
      renderDocument(Uint8Array.of(1, 0, 2, 0xff), { paper: 'a4', resolution: 'fine' }),
      /unknown document format/,
    );
  });

  it('gives each refusal its reason', async () => {
    const reasonOf = (bytes: Uint8Array) =>
      renderDocument(bytes, { paper: 'a4', resolution: 'fine' }).then(
        () => assert.fail('rendered'),
        (error: unknown) => (error instanceof DocumentError ? error.reason : error),
      );
    assert.equal(await reasonOf(new Uint8Array(0)), 'empty');
    assert.equal(await reasonOf(Uint8Array.of(1, 0, 2, 0xff)), 'unknown-format');
    assert.equal(await reasonOf(letterPdf.subarray(0, 300)), 'unreadable');
  });
});
