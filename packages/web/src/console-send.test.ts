// The console's Send page in Chromium against a real faxd with two loopback lines: samples/letter.pdf previewed as
// the two pages faxd renders, then sent and seen in the queue; and bad input (no number, an unreadable file, a file
// too large, faxd going away mid-send) answered in words with nothing entered lost.

import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '@faxd/server/testing/faxd-fixture';
import { type ConsoleBrowser, openConsoleBrowser } from './testing/console-browser.js';

const LETTER = join(repoRoot(), 'samples', 'letter.pdf');

describe('web console: send', () => {
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;
  let scratch: string;

  before(async () => {
    faxd = await startTestFaxd();
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
    await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
    assert.match((await page.locator(`tr[data-job-id="${jobId}"]`).textContent()) ?? '', /Ada Lovelace/);
    await waitFor('the letter sent', async () =>
      (await requestJson(faxd.url, '/v1/outbox')).body.length > 0 ? true : undefined,
    );
  });
});
