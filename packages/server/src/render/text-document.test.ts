// Plain text pages against a reference rendering (testdata/text: a sample with tabs, wrapped lines, accents, box
// drawing, rules of = and -, and a full page of prose, drawn by faxd's text renderer as it was before glyphs were
// drawn line by line, and stored as G4 TIFF, which is lossless): every pixel must match, so a faster path never
// changes how a text fax looks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '@faxd/protocol';
import type { PaperSize } from '@faxd/protocol/image/geometry';
import { readTiff } from '@faxd/protocol/image/tiff/tiff-reader';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { renderDocument } from './render-document.js';
import { FONT_FAMILY, LINE_POINTS, loadCanvas } from './text-document.js';

const textData = join(repoRoot(), 'packages', 'server', 'testdata', 'text');
const sample = readFileSync(join(textData, 'sample.txt'));

function referencePages(name: string): BilevelPage[] {
  return readTiff(readFileSync(join(textData, name))).map(({ page }) => page);
}

/** The first row where the pages differ and how many pixels differ in all, for a failure worth reading. */
function difference(ours: BilevelPage, reference: BilevelPage): string {
  if (ours.width !== reference.width || ours.height !== reference.height)
    return `size ${ours.width}x${ours.height}, reference ${reference.width}x${reference.height}`;
  let pixels = 0;
  let firstRow = -1;
  for (let i = 0; i < ours.data.length; i++) {
    let bits = ours.data[i] ^ reference.data[i];
    if (bits !== 0 && firstRow < 0) firstRow = Math.floor(i / ours.stride);
    for (; bits; bits &= bits - 1) pixels++;
  }
  return `${pixels} pixels differ, the first in row ${firstRow}`;
}

async function assertMatchesReference(paper: PaperSize, resolution: 'standard' | 'fine' | 'superfine', file: string) {
  const ours = await renderDocument(sample, { paper, resolution });
  const reference = referencePages(file);
  assert.equal(ours.length, reference.length, 'page count');
  for (const [index, page] of ours.entries()) {
    assert.ok(samePixels(page, reference[index]), `page ${index + 1}: ${difference(page, reference[index])}`);
    assert.equal(page.yResolution, reference[index].yResolution);
  }
}

describe('renderText against the reference rendering', () => {
  for (const resolution of ['standard', 'fine', 'superfine'] as const) {
    it(`draws A4 ${resolution} pages pixel for pixel as the reference`, () =>
      assertMatchesReference('a4', resolution, `sample-${resolution}.tif`));
  }

  it('draws letter pages pixel for pixel as the reference', () =>
    assertMatchesReference('letter', 'fine', 'sample-letter-fine.tif'));

  it('draws a page after a fuller one without ink left over from it', async () => {
    // The text renderer keeps its drawing surface between documents: the page after one with 60 lines must come
    // out as it does alone.
    const full = Buffer.from(`${Array.from({ length: 60 }, () => 'W'.repeat(100)).join('\n')}\n`);
    await renderDocument(full, { paper: 'a4', resolution: 'fine' });
    await assertMatchesReference('a4', 'fine', 'sample-fine.tif');
  });

  // Lines of printable ASCII are not measured: their bands are a line's height either side of the baseline, which holds
  // only while every such glyph fits in it.
  it('draws every printable ASCII glyph within a line height of the baseline', async () => {
    const { createCanvas } = await loadCanvas();
    const ctx = createCanvas(64, 64).getContext('2d');
    ctx.font = `10px ${FONT_FAMILY}`;
    for (let code = 0x20; code <= 0x7e; code++) {
      const metrics = ctx.measureText(String.fromCharCode(code));
      assert.ok(metrics.actualBoundingBoxAscent <= LINE_POINTS, `${String.fromCharCode(code)} rises too high`);
      assert.ok(metrics.actualBoundingBoxDescent <= LINE_POINTS, `${String.fromCharCode(code)} reaches too low`);
    }
  });
});
