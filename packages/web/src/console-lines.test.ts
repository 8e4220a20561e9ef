// The console served by faxd, in Debian's Chromium against a real faxd with two loopback lines: the sign-in refuses
// a wrong token, the Lines page follows a two-page fax page by page from the event stream, with the call's media,
// modem, rate and ECM on both lines while it runs, and a faxd restart under the open page reconnects it without a
// reload. The calls run in real time, since the page is to show them while they last; the fax followed to its end
// has two short pages of text, a few seconds each on the line.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requestJson, startTestFaxd, type TestFaxd } from '@faxd/server/testing/faxd-fixture';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser, signInToConsole } from './testing/console-browser.js';

const TOKEN = 'console-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Two pages of a few lines each: page 1 and page 2 each stay on the line long enough to be seen. */
const SHORT_PAGES = Array(2).fill('A page the Lines page follows.\n'.repeat(8)).join('\f');

/** Records in the page every distinct page counter a sending line shows, so that no short-lived value is missed. */
async function recordPageCounters(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { pageCounters: string[] }).pageCounters = seen;
    const note = () => {
      for (const element of document.querySelectorAll('.line[data-state="sending"] .page')) {
        const text = element.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    note();
  });
}

/** The value of the Call field of the line cards `cards` selects. */
function callField(page: Page, cards: string) {
  return page.locator(`${cards} .field:has(dt:text-is("Call")) dd`);
}

describe('web console: sign-in and live lines', () => {
  let dataDir: string;
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;
  let letter: string;

  /** Submits samples/letter.pdf, or `text` when given. */
  const submitLetter = async (text?: string) => {
    const document =
      text === undefined
        ? { name: 'letter.pdf', contentBase64: letter }
        : { name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') };
    const body = { to: '5550100', recipientName: 'Ada', documents: [document] };
    const { status, body: job } = await requestJson(faxd.url, '/v1/jobs', { method: 'POST', body, headers: AUTH });
    assert.equal(status, 201, JSON.stringify(job));
    return job.jobId as string;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faxd-console-'));
    faxd = await startTestFaxd({ token: TOKEN }, dataDir);
    letter = (await readFile(join(repoRoot(), 'samples', 'letter.pdf'))).toString('base64');
    browser = await openConsoleBrowser();
  });
  after(async () => {
    await browser?.close();
    await faxd?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the console at / without the token, keeps /v1 behind it and unknown API paths as FAX_ERR_NOT_FOUND', async () => {
    const index = await fetch(`${faxd.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    assert.ok(script, 'index.html names its script');
    const asset = await fetch(`${faxd.url}/${script}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-encoding'), 'br');
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await requestJson(faxd.url, '/v1/ports')).status, 401);
    const unknown = await requestJson(faxd.url, '/v1/no-such-thing', { headers: AUTH });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'FAX_ERR_NOT_FOUND');
    assert.equal((await requestJson(faxd.url, '/no-such-file.js')).body.error.code, 'FAX_ERR_NOT_FOUND');
  });

  it('refuses a wrong token and shows nothing but the sign-in', async () => {
    const { page } = browser;
    await page.goto(faxd.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'Enter the access token.');
    await page.getByLabel('Access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('faxd refused that token.').waitFor();
    assert.equal(await page.locator('nav, .line').count(), 0);
    await browser.screenshot('sign-in-refused');
  });

  it('signs in with the token and shows both lines, idle, live from the event stream', async () => {
    const { page } = browser;
    await signInToConsole(page, faxd.url, TOKEN);
    await page.locator('.line').nth(1).waitFor();
    assert.deepEqual(await page.locator('.line h2').allTextContents(), ['Loopback 1', 'Loopback 2']);
    assert.deepEqual(
      await page.locator('.line').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-state'))),
      ['idle', 'idle'],
    );
    await browser.screenshot('lines-idle');
  });

  it("counts the sending line's pages 1 then 2 for a two-page fax without reloading", async () => {
    const { page } = browser;
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await recordPageCounters(page);
    await submitLetter(SHORT_PAGES);
    await page.locator('.line[data-state="sending"] .page', { hasText: 'Page 1 of 2' }).waitFor({ timeout: 120_000 });
    await page.locator('.line[data-state="receiving"]').waitFor();
    // Loopback lines are joined by T.38 and negotiate the fastest modem with ECM (each line's default, `ecm: true`).
    const call = 'T.38 · V.17 14400 · ECM';
    for (const state of ['sending', 'receiving']) {
      await callField(page, `.line[data-state="${state}"]`).filter({ hasText: call }).waitFor({ timeout: 60_000 });
    }
    const ports = (await requestJson(faxd.url, '/v1/ports', { headers: AUTH })).body;
    const busy = ports
      .filter((port: { call: unknown }) => port.call !== null)
      .map((port: { call: unknown }) => port.call);
    if (busy.length > 0) {
      // Still under way when asked: the API says what the page shows.
      assert.deepEqual(busy[0], { media: 't38', modem: 'V.17', bitRate: 14400, ecm: true });
    }
    await browser.screenshot('lines-sending');
    await page.locator('.line[data-state="sending"] .page', { hasText: 'Page 2 of 2' }).waitFor({ timeout: 120_000 });
    await page.locator('.line[data-state="sending"]').waitFor({ state: 'detached', timeout: 120_000 });
    await page.locator('.line[data-state="idle"]').nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await callField(page, '.line').count(), 0, 'an idle line has no call to show');
    const counters = await page.evaluate(() => (window as unknown as { pageCounters: string[] }).pageCounters);
    const first = counters.indexOf('Page 1 of 2');
    assert.ok(first >= 0 && counters.indexOf('Page 2 of 2') > first, `counters seen: ${counters.join(' → ')}`);
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true);
  });

  it('tells a ringing line and a powered-off line apart at a glance', async () => {
    const { page } = browser;
    const flags = { sending: false, receiving: false };
    // The device events a line raises when a call rings and when its device goes away, as faxd publishes them.
    faxd.service.hub.publish({ event: 'deviceStatusChange', deviceId: 1, poweredOff: false, ringing: true, ...flags });
    faxd.service.hub.publish({ event: 'deviceStatusChange', deviceId: 2, poweredOff: true, ringing: false, ...flags });
    await page.locator('.line[data-device-id="2"][data-state="off"]').waitFor();
    await page.locator('.line[data-device-id="1"][data-state="ringing"]').waitFor();
    assert.deepEqual(await page.locator('.line .badge').allTextContents(), ['Ringing', 'Powered off']);
    await browser.screenshot('lines-ringing-off');
    faxd.service.hub.publish({ event: 'deviceStatusChange', deviceId: 1, poweredOff: false, ringing: false, ...flags });
    faxd.service.hub.publish({ event: 'deviceStatusChange', deviceId: 2, poweredOff: false, ringing: false, ...flags });
    await page.locator('.line[data-state="idle"]').nth(1).waitFor();
  });

  it('reconnects the live view after faxd restarts, without a reload', async () => {
    const { page } = browser;
    const port = new URL(faxd.url).port;
    await faxd.close();
    await page.locator('main[data-connection="offline"]').waitFor();
    await browser.screenshot('lines-offline');
    faxd = await startTestFaxd({ token: TOKEN, listen: `127.0.0.1:${port}` }, dataDir);
    await page.locator('main[data-connection="live"]').waitFor({ timeout: 30_000 });
    await submitLetter();
    await page
      .locator('.line[data-state="sending"] .page', { hasText: /Page [12] of 2/ })
      .waitFor({ timeout: 120_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true);
  });
});
