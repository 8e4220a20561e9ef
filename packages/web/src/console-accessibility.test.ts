// Every page of the console checked by axe-core in the same Chromium, on a desktop and on a phone-width screen (no
// serious or critical violation), with a screenshot of each; and what the first load costs: the compressed bytes of
// the page and its JS and CSS as Chromium received them (asserted under 150 KB) and the time from navigation to the
// lines shown live (reported, not asserted: a unit test holds no timing threshold).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { requestJson, startTestFaxd, type TestFaxd } from '@faxd/server/testing/faxd-fixture';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser, signInToConsole } from './testing/console-browser.js';

const TOKEN = 'axe-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const FIRST_LOAD_LIMIT = 150 * 1024;

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/** axe-core's serious and critical findings on the page as it stands. */
async function seriousViolations(page: Page, axeSource: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  })) as Violation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describe('web console: accessibility, weight and start-up time', () => {
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;
  let axeSource: string;
  let messageId: string;

  before(async () => {
    faxd = await startTestFaxd({ token: TOKEN });
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const body = {
      to: '5550100',
      recipientName: 'Grace',
      documents: [{ name: 'note.txt', contentBase64: Buffer.from('A short fax.\n').toString('base64') }],
    };
    assert.equal((await requestJson(faxd.url, '/v1/jobs', { method: 'POST', body, headers: AUTH })).status, 201);
    const inbox = async () => (await requestJson(faxd.url, '/v1/inbox', { headers: AUTH })).body;
    for (let tries = 0; (await inbox()).length === 0; tries++) {
      assert.ok(tries < 1200, 'the fax arrived in the inbox');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    messageId = (await inbox())[0].id;
    browser = await openConsoleBrowser();
  });
  after(async () => {
    await browser?.close();
    await faxd?.dispose();
  });

  it('loads in under 150 KB of compressed JS, CSS and HTML, and reports the time to live lines', async (t) => {
    const { page } = browser;
    await page.goto(faxd.url);
    await page.getByLabel('Access token').waitFor();
    const transferred = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const assets = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) =>
        /\/assets\/[^/]+\.(js|css)$/.test(new URL(entry.name).pathname),
      );
      return [navigation, ...assets].map((entry) => ({ name: entry.name, bytes: entry.encodedBodySize }));
    });
    const total = transferred.reduce((sum, entry) => sum + entry.bytes, 0);
    t.diagnostic(`first load: ${transferred.map((e) => `${new URL(e.name).pathname} ${e.bytes} B`).join(', ')}`);
    t.diagnostic(`first load total: ${total} B compressed`);
    assert.equal(transferred.length, 3, 'the page, one script and one stylesheet');
    assert.ok(total > 0 && total < FIRST_LOAD_LIMIT, `${total} B`);

    await signInToConsole(page, faxd.url, TOKEN);
    // The sign-in is remembered for the browser session: a fresh navigation goes straight to the live lines.
    await page.goto(`${faxd.url}/#/lines`);
    await page.locator('main[data-connection="live"] .line').first().waitFor();
    const liveMs = await page.evaluate(() => performance.getEntriesByName('faxd-console-live')[0]?.startTime);
    assert.ok(typeof liveMs === 'number', 'the console marks when it is live');
    t.diagnostic(`navigation to lines live: ${Math.round(liveMs)} ms`);
  });

  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`has no serious or critical axe violations on any page (${label})`, async () => {
      const { page } = browser;
      await page.setViewportSize(viewport);
      const found: string[] = [];
      const check = async (name: string) => {
        for (const violation of await seriousViolations(page, axeSource)) found.push(`${name}: ${violation}`);
        await browser.screenshot(`${label}-${name}`);
      };

      await page.evaluate(() => sessionStorage.clear());
      await page.goto(faxd.url);
      await page.reload();
      await page.getByLabel('Access token').waitFor();
      await check('sign-in');
      await signInToConsole(page, faxd.url, TOKEN);
      await page.locator('.line').nth(1).waitFor();
      await check('lines');

      await page.goto(`${faxd.url}/#/send`);
      await page.setInputFiles('#send-files', {
        name: 'note.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Hello\n'),
      });
      await page.getByLabel('Fax number').fill('5550100');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('.preview-page img').first().waitFor();
      await check('send');
      // The cover page's fields, with a refusal said next to one of them, then its preview.
      await page.getByRole('checkbox', { name: 'Cover page' }).check();
      await page.getByLabel('Template').fill('no-such-template');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('#cover-template-problem').waitFor();
      await check('send-cover-refused');
      await page.getByLabel('Template').fill('');
      await page.getByLabel('Note', { exact: true }).fill('A note.');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('.preview-page img').nth(1).waitFor();
      await check('send-cover');

      await page.goto(`${faxd.url}/#/queue`);
      await page.getByLabel('All').check();
      await page.locator('tr[data-job-id]').first().waitFor();
      await check('queue');

      await page.goto(`${faxd.url}/#/inbox`);
      await page.locator(`tr[data-message-id="${messageId}"]`).waitFor();
      await check('inbox');
      await page.goto(`${faxd.url}/#/inbox/${messageId}`);
      await page.locator('img.fax-page').waitFor();
      await check('viewer');

      await page.goto(`${faxd.url}/#/sent`);
      await page.locator('tr[data-message-id]').first().waitFor();
      await check('sent');

      await page.goto(`${faxd.url}/#/server`);
      await page.getByLabel('Pause the outgoing queue').waitFor();
      await check('server');

      assert.deepEqual(found, []);
    });
  }
});
