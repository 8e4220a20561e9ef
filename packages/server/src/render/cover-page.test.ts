// Cover pages drawn from templates: the fields land where the template puts them (a note of several lines under its
// first, long values wrapped at the margin), the page drawn is the text renderer's drawing of the lines the test
// expects, pixel for pixel, and a cover that needs more than one page is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faxGeometry } from '@faxd/protocol/image/geometry';
import { type BilevelPage, samePixels } from '@faxd/protocol/image/page';
import { readTiff } from '@faxd/protocol/image/tiff/tiff-reader';
import { codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import { convertToFax } from '../documents/fax-conversion.js';
import { encodeFaxTiff, joinedFaxSize, joinFaxFiles } from '../documents/fax-files.js';
import {
  CoverPageTooLong,
  type CoverValues,
  DEFAULT_COVER_TEMPLATE,
  fillCoverTemplate,
  layoutCoverPage,
  renderCoverPage,
} from './cover-page.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget } from './document-limits.js';
import { renderText } from './text-document.js';

const VALUES: CoverValues = {
  senderName: 'Ada Lovelace',
  senderCompany: 'Analytical Engines Ltd',
  senderFaxNumber: '+44 20 7946 0000',
  senderVoiceNumber: '+44 20 7946 0001',
  recipientName: 'Charles Babbage',
  recipientNumber: '+44 20 7946 0999',
  subject: 'Notes on the engine',
  note: 'First line of the note.\nSecond line,\nthird line.',
  date: '2026-12-06',
  time: '20:15 UTC',
  pages: '3',
};

/** The text renderer's own drawing of `text`, one page: the reference a cover page must equal. */
async function reference(text: string, resolution: 'standard' | 'fine'): Promise<BilevelPage> {
  const pages: BilevelPage[] = [];
  const budget = new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  await renderText(text, faxGeometry('a4', resolution), budget, (page) => pages.push(page));
  assert.equal(pages.length, 1);
  return pages[0] as BilevelPage;
}

function inkRows(page: BilevelPage): number {
  let rows = 0;
  for (let y = 0; y < page.height; y++) {
    if (page.data.subarray(y * page.stride, (y + 1) * page.stride).some((byte) => byte !== 0)) rows++;
  }
  return rows;
}

describe('cover page templates', () => {
  it('puts each field where its placeholder is, a value of several lines under its first', () => {
    const template = 'To: {recipientName} ({recipientNumber})\nNote:   {note}\nEnd {unknown} {pages}\n';
    assert.equal(
      fillCoverTemplate(template, VALUES, 80),
      [
        'To: Charles Babbage (+44 20 7946 0999)',
        'Note:   First line of the note.',
        '        Second line,',
        '        third line.',
        'End {unknown} 3',
        '',
      ].join('\n'),
    );
  });

  it('wraps a long value at the margin, lining its lines up under the first', () => {
    const note = 'alpha beta gamma delta epsilon zeta eta theta';
    const filled = fillCoverTemplate('Note: {note} <', { ...VALUES, note }, 24);
    assert.deepEqual(filled.split('\n'), ['Note: alpha beta gamma', '      delta epsilon zeta', '      eta theta <']);
    const word = fillCoverTemplate('{subject}', { ...VALUES, subject: 'x'.repeat(30) }, 12);
    assert.deepEqual(word.split('\n'), ['x'.repeat(12), 'x'.repeat(12), 'x'.repeat(6)]);
  });

  for (const resolution of ['standard', 'fine'] as const) {
    it(`draws the built-in template at ${resolution} resolution as the text renderer draws the expected lines`, async () => {
      const geometry = faxGeometry('a4', resolution);
      const page = await renderCoverPage(DEFAULT_COVER_TEMPLATE, VALUES, geometry);
      // Written out by hand: what a person who filled in the built-in template would expect to see.
      const expected = [
        '',
        '                                  F  A  X',
        '='.repeat(80),
        '',
        '  Date:      2026-12-06 20:15 UTC',
        '  Pages:     3, this cover page included',
        '',
        '  To:        Charles Babbage',
        '  Fax:       +44 20 7946 0999',
        '',
        '  From:      Ada Lovelace',
        '  Company:   Analytical Engines Ltd',
        '  Fax:       +44 20 7946 0000',
        '  Phone:     +44 20 7946 0001',
        '',
        '  Subject:   Notes on the engine',
        '',
        '='.repeat(80),
        '',
        'First line of the note.',
        'Second line,',
        'third line.',
        '',
      ].join('\n');
      const drawn = await reference(expected, resolution);
      assert.equal(page.width, geometry.width);
      assert.equal(page.height, geometry.height);
      assert.equal(page.yResolution, geometry.yResolution);
      assert.ok(inkRows(page) > 0, 'the page has text on it');
      assert.ok(samePixels(page, drawn), 'the cover is the expected lines, pixel for pixel');
      // And a different value is a different page: the comparison sees the fields.
      const other = await renderCoverPage(DEFAULT_COVER_TEMPLATE, { ...VALUES, recipientName: 'C. Babbage' }, geometry);
      assert.ok(!samePixels(other, drawn));
    });
  }

  it('refuses a cover that takes more than one page', () => {
    const geometry = faxGeometry('a4', 'fine');
    const note = Array.from({ length: 70 }, (_, i) => `line ${i + 1}`).join('\n');
    assert.throws(() => layoutCoverPage(DEFAULT_COVER_TEMPLATE, { ...VALUES, note }, geometry), CoverPageTooLong);
    assert.throws(() => layoutCoverPage('one\fpage two', VALUES, geometry), CoverPageTooLong);
    assert.equal(layoutCoverPage(DEFAULT_COVER_TEMPLATE, VALUES, geometry).length, 22);
  });

  it('draws covers after the documents at their resolution, counting the cover among the pages', async () => {
    const text = new TextEncoder().encode('Page one.\n\fPage two.\n');
    const { template, ...sheet } = { template: 'Pages: {pages} for {recipientName}\n', ...VALUES };
    const conversion = await convertToFax([text], {
      paper: 'a4',
      compression: 'mmr',
      dateTime: new Date('2026-12-06T20:15:00Z'),
      covers: { template, sheets: [sheet, { ...sheet, recipientName: 'Someone else' }] },
    });
    assert.equal(conversion.pages.length, 2);
    const covers = conversion.covers ?? [];
    assert.equal(covers.length, 2);
    for (const [i, name] of ['Charles Babbage', 'Someone else'].entries()) {
      const [cover, ...more] = readTiff(covers[i] as Uint8Array);
      assert.equal(more.length, 0);
      assert.ok(cover && samePixels(cover.page, await reference(`Pages: 3 for ${name}\n`, 'fine')), name);
      assert.equal(cover.page.yResolution, 196);
    }
  });

  it('joins a cover file and a documents file into one fax, of the size worked out without joining', async () => {
    const dateTime = new Date('2026-12-06T20:15:00Z');
    const geometry = faxGeometry('a4', 'standard');
    const parities = new Set<number>();
    for (const lines of [1, 2, 3, 4, 5, 6]) {
      const cover = await renderCoverPage('{note}', { ...VALUES, note: 'x\n'.repeat(lines) }, geometry);
      const body = await reference('body page\n', 'standard');
      const coverFile = encodeFaxTiff([codeTiffPage(cover, { compression: 'mmr' })], { compression: 'mmr', dateTime });
      const bodyFile = encodeFaxTiff([body, body], { compression: 'mmr', dateTime });
      const joined = joinFaxFiles([coverFile, bodyFile], dateTime);
      const pages = readTiff(joined).map((entry) => entry.page);
      assert.equal(pages.length, 3);
      assert.ok([cover, body, body].every((page, i) => samePixels(pages[i] as BilevelPage, page)));
      parities.add(coverFile.length % 2);
      assert.equal(
        joinedFaxSize(coverFile.length, bodyFile.length),
        joined.length,
        `cover of ${coverFile.length} bytes`,
      );
    }
    assert.deepEqual([...parities].sort(), [0, 1], 'covers of an odd and of an even length were joined');
  });
});
