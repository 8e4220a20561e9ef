// The console's Send page in Chromium against a real faxd with a pair of sandbox lines (the real T.30 engine on a
// virtual clock: the console's faxes are sent and received without real-time waiting): samples/letter.pdf previewed as
// the two pages faxd renders, then sent and seen in the queue; and bad input (no number, an unreadable file, a file
// too large, faxd going away mid-send) answered in words with nothing entered lost. With a cover page: an unknown
// template refused next to its field, the cover first in the preview, and the fax received one page longer.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTiff } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { firstInboxFax, requestJson, startTestFaxd, type TestFaxd, waitFor } from '@faxd/server/testing/faxd-fixture';
import { sandboxLinePairs } from '@faxd/server/testing/numbered-faxes';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from './testing/console-browser.js';

const LETTER = join(repoRoot(), 'samples', 'letter.pdf');

/**
 * The pixels of the page image the viewer shows, as the browser decoded them: drawn on a canvas at the image's own
 * size and packed like a BilevelPage (rows of bits, most significant leftmost, 1 = black).
 */
async function displayedPage(page: Page): Promise<{ width: number; height: number; data: Buffer }> {
  const shown = await page.locator('img.fax-page').evaluate(async (element) => {
    const image = element as HTMLImageElement;
    await image.decode();
    const { naturalWidth: width, naturalHeight: height } = image;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const stride = (width + 7) >> 3;
    const packed = new Uint8Array(stride * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (rgba[(y * width + x) * 4]! < 128) packed[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    }
    let binary = '';
    for (const byte of packed) binary += String.fromCharCode(byte);
    return { width, height, base64: btoa(binary) };
  });
  return { width: shown.width, height: shown.height, data: Buffer.from(shown.base64, 'base64') };
}

describe('web console: send', () => {
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;
  let scratch: string;

  before(async () => {
    faxd = await startTestFaxd({ lines: sandboxLinePairs(1, 1) });
    browser = await openConsoleBrowser();
    scratch = await mkdtemp(join(tmpdir(), 'faxd-console-send-'));
  });
  after(async () => {
    await browser?.close();
    await faxd?.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('answers bad input in words and keeps what was entered', async () => {
    const { page } = browser;
    await page.goto(`${faxd.url}/#/send`);
    const alert = page.getByRole('alert');
    await page.getByRole('button', { name: 'Preview' }).click();
    assert.equal(await alert.textContent(), 'Add at least one document to fax.');

    await page.setInputFiles('#send-files', LETTER);
    await page.getByText('letter.pdf').waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    assert.equal(await alert.textContent(), 'Enter the fax number to send to.');

    const garbled = join(scratch, 'scan.pdf');
    await writeFile(garbled, '%PDF-1.4 this is not really a PDF');
    await page.setInputFiles('#send-files', garbled);
    await page.getByLabel('Fax number').fill('5550100');
    await page.getByRole('button', { name: 'Preview' }).click();
    await alert.filter({ hasText: 'No preview:' }).waitFor();
    assert.match((await alert.textContent()) ?? '', /scan\.pdf/);
    await page.getByRole('button', { name: 'Remove scan.pdf' }).click();

    // A sparse file: its size is what the console checks, before reading a byte of it.
    const huge = join(scratch, 'huge.tif');
    await writeFile(huge, '');
    await truncate(huge, 65 * 1024 * 1024);
    await page.setInputFiles('#send-files', huge);
    await alert.filter({ hasText: 'one fax can take at most 64.0 MB' }).waitFor();
    assert.deepEqual(await page.locator('.files li > span:first-child').allTextContents(), ['letter.pdf']);
    assert.equal(await page.getByLabel('Fax number').inputValue(), '5550100');
    await browser.screenshot('send-refused');
  });

  it('previews samples/letter.pdf as two fax pages, then queues it', async () => {
    const { page } = browser;
    await page.getByLabel('Recipient').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Preview' }).click();
    const images = page.locator('.preview-page img');
    await images.nth(1).waitFor();
    assert.equal(await images.count(), 2);
    const sizes = await images.evaluateAll((elements) =>
      elements.map((element) => {
        const image = element as HTMLImageElement;
        return [image.naturalWidth, image.naturalHeight, image.complete];
      }),
    );
    for (const [width, height, complete] of sizes) {
      assert.equal(width, 1728);
      assert.ok((height as number) > 2000, `a fine-resolution A4 page is over 2000 rows (got ${height})`);
      assert.equal(complete, true);
    }
    await browser.screenshot('send-preview');

    // faxd going away mid-send: the request breaks; the console says so and keeps the fax ready to send again.
    await page.route('**/v1/jobs', (route) => route.abort('connectionreset'));
    await page.getByRole('button', { name: 'Send 2 pages' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not sent:' }).waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /cannot reach the fax server/);
    assert.equal(await images.count(), 2);
    assert.deepEqual((await requestJson(faxd.url, '/v1/jobs?all=true')).body, []);
    await page.unroute('**/v1/jobs');

    await page.getByRole('button', { name: 'Send 2 pages' }).click();
    const queued = await page.getByRole('status').filter({ hasText: 'Fax queued as job' }).textContent();
    const jobId = /job (\S+)\./.exec(queued ?? '')?.[1];
    assert.ok(jobId, queued ?? '');
    const job = await requestJson(faxd.url, `/v1/jobs/${jobId}`);
    assert.equal(job.body.pages, 2);
    assert.equal(job.body.jobId, jobId);
    await page.getByRole('link', { name: 'Queue' }).first().click();
    // All, not only Active: over sandbox lines the fax may well be sent before the Queue page has drawn its rows.
    await page.getByLabel('All').check();
    await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
    assert.match((await page.locator(`tr[data-job-id="${jobId}"]`).textContent()) ?? '', /Ada Lovelace/);
    await waitFor('the letter sent', async () =>
      (await requestJson(faxd.url, '/v1/outbox')).body.length > 0 ? true : undefined,
    );
  });

  it('shows the received fax in the inbox, and its pages in the viewer exactly as stored', async () => {
    const { page } = browser;
    const { message, pages } = await firstInboxFax(faxd.url);
    assert.equal(pages.length, 2);
    await page.getByRole('link', { name: 'Inbox' }).click();
    const row = page.locator(`tr[data-message-id="${message.id}"]`);
    await row.waitFor();
    await browser.screenshot('inbox');
    await row.getByRole('link', { name: /View/ }).click();
    // The alt text names the page whose image is shown, so the image is page n's once the alt says so.
    for (const [index, stored] of pages.entries()) {
      await page.getByText(`Page ${index + 1} of 2`, { exact: true }).waitFor();
      await page.locator(`img.fax-page[alt="Page ${index + 1} of 2 of the fax"]`).waitFor();
      const shown = await displayedPage(page);
      assert.deepEqual([shown.width, shown.height], [stored.width, stored.height]);
      assert.ok(shown.data.equals(Buffer.from(stored.data)), `page ${index + 1}: the pixels differ from the TIFF's`);
      if (index === 0) {
        // Drawn at the paper's proportions: fine resolution is 204 × 196 dpi, so the page is slightly taller.
        const box = await page.locator('img.fax-page').boundingBox();
        const expected = stored.height / stored.yResolution / (stored.width / stored.xResolution);
        assert.ok(box && Math.abs(box.height / box.width - expected) < 0.01, `aspect ${box?.height}/${box?.width}`);
        await browser.screenshot('inbox-viewer');
        await page.getByRole('button', { name: 'Next page' }).click();
      }
    }
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download PDF' }).click();
    assert.equal((await download).suggestedFilename(), `fax-${message.id}.pdf`);

    // The sent side: the outbox serves the job's own pages, and no page past the last.
    const [sent] = (await requestJson(faxd.url, '/v1/outbox')).body;
    const outboxPage = await fetch(`${faxd.url}/v1/outbox/${sent.id}/pages/2.png`);
    const jobPage = await fetch(`${faxd.url}/v1/jobs/${sent.jobId}/pages/2.png`);
    assert.ok(Buffer.from(await outboxPage.arrayBuffer()).equals(Buffer.from(await jobPage.arrayBuffer())));
    const past = await requestJson(faxd.url, `/v1/outbox/${sent.id}/pages/3.png`);
    assert.equal(past.body.error.code, 'FAX_ERR_NOT_FOUND');
  });

  it('puts a cover page first: an unknown template refused next to its field, then previewed and received', async () => {
    const { page } = browser;
    await page.goto(`${faxd.url}/#/send`);
    const coverChoice = page.getByRole('checkbox', { name: 'Cover page' });
    assert.equal(await coverChoice.isChecked(), false, 'no cover page unless asked for');
    assert.equal(await page.locator('#cover-template').count(), 0);
    await page.setInputFiles('#send-files', LETTER);
    await page.getByLabel('Fax number').fill('5550100');
    await page.getByLabel('Recipient').fill('Ada Lovelace');
    await page.getByLabel('Sender', { exact: true }).fill('Charles Babbage');
    await coverChoice.check();
    const template = page.getByLabel('Template');
    await template.fill('no-such-template');
    await page.getByRole('button', { name: 'Preview' }).click();

    const refusal = page.locator('#cover-template-problem');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'No cover page template named no-such-template');
    assert.equal(await template.getAttribute('aria-invalid'), 'true');
    assert.equal(await template.getAttribute('aria-describedby'), 'cover-template-problem');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cover-template');
    assert.equal(await page.getByRole('alert').count(), 1, 'said once, next to the field');
    assert.equal(await page.locator('.preview-page').count(), 0);
    await browser.screenshot('send-cover-refused');

    const fields = {
      subject: 'Analytical Engine',
      note: 'The plans follow.\nPlease reply by fax.',
      company: 'Difference Engines Ltd',
      faxNumber: '+44 20 7946 0100',
      voiceNumber: '+44 20 7946 0199',
    };
    await template.fill('');
    assert.equal(await refusal.count(), 0, 'the refusal goes with the value it was about');
    await page.getByLabel('Subject').fill(fields.subject);
    await page.getByLabel('Note').fill(fields.note);
    await page.getByLabel('Company').fill(fields.company);
    await page.getByLabel('Sender fax').fill(fields.faxNumber);
    await page.getByLabel('Sender phone').fill(fields.voiceNumber);

    // What faxd renders for the same request straight from the API, before and after the console asks: the cover
    // names the time to the minute, so the console's cover is the same image as one of the two.
    const letter = (await readFile(LETTER)).toString('base64');
    const request = {
      documents: [{ name: 'letter.pdf', contentBase64: letter }],
      to: '5550100',
      recipientName: 'Ada Lovelace',
      senderName: 'Charles Babbage',
      senderCompany: fields.company,
      senderFaxNumber: fields.faxNumber,
      senderVoiceNumber: fields.voiceNumber,
      coverPage: { subject: fields.subject, note: fields.note },
    };
    const coverFromApi = async () => {
      const { status, body } = await requestJson(faxd.url, '/v1/previews', { method: 'POST', body: request });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.pages.length, 3);
      return body.pages[0].pngBase64 as string;
    };
    const before = await coverFromApi();
    await page.getByRole('button', { name: 'Preview' }).click();
    const images = page.locator('.preview-page img');
    await images.nth(2).waitFor();
    const after = await coverFromApi();
    assert.equal(await images.count(), 3, 'the cover page and the letter’s two pages');
    const shownCover = ((await images.first().getAttribute('src')) ?? '').replace('data:image/png;base64,', '');
    assert.ok(shownCover === before || shownCover === after, 'the first page shown is the cover faxd renders');
    assert.equal(await page.locator('.preview-page figcaption').first().textContent(), 'Page 1 of 3 (the cover page)');
    await browser.screenshot('send-cover-preview');

    await page.getByRole('button', { name: 'Send 3 pages' }).click();
    const queued = await page.getByRole('status').filter({ hasText: 'Fax queued as job' }).textContent();
    const jobId = /job (\S+)\./.exec(queued ?? '')?.[1];
    assert.ok(jobId, queued ?? '');
    assert.equal((await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body.pages, 3, 'the cover counts among the pages');
    const sent = await waitFor('the fax with its cover page sent', async () => {
      const outbox = (await requestJson(faxd.url, '/v1/outbox')).body as { jobId: string; pages: number }[];
      return outbox.find((message) => message.jobId === jobId);
    });
    assert.equal(sent.pages, 3);
    const received = await waitFor('the fax with its cover page received', async () => {
      const inbox = (await requestJson(faxd.url, '/v1/inbox')).body as { id: string; pages: number }[];
      return inbox.length === 2 ? inbox.find((message) => message.pages !== 2) : undefined;
    });
    assert.equal(received.pages, 3);
    const tiff = await (await fetch(`${faxd.url}/v1/inbox/${received.id}/document.tif`)).arrayBuffer();
    assert.equal(readTiff(new Uint8Array(tiff)).length, 3, 'three pages came over the sandbox lines');
  });
});
