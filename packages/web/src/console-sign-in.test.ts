// The console's sign-in with a user's name and password (issues 13 and 14), in Debian's Chromium against a real faxd
// with users: a wrong password is refused in words, the right one opens the console on the session cookie with the
// user's rights (the lines show), a change goes through with the CSRF token the SDK sends, and signing out ends the
// session at faxd.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAccessRights } from '@faxd/contract';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { startTestFaxd, type TestFaxd } from '@faxd/server/testing/faxd-fixture';
import { type ConsoleBrowser, openConsoleBrowser } from './testing/console-browser.js';

const ADMIN = 'console-sign-in-administrator';
const PASSWORD = 'a long console password';
const LETTER = join(repoRoot(), 'samples', 'letter.pdf');

describe('web console: signing in with a user name and password', () => {
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;

  before(async () => {
    faxd = await startTestFaxd({ token: ADMIN });
    await faxd.service.users.add('ada', parseAccessRights('submit-normal,query-config'), PASSWORD);
    browser = await openConsoleBrowser();
  });
  after(async () => {
    await browser?.close();
    await faxd?.dispose();
  });

  const signInAs = async (name: string, password: string) => {
    const { page } = browser;
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('refuses a wrong password in words and shows nothing but the sign-in', async () => {
    const { page } = browser;
    await page.goto(faxd.url);
    await page.getByLabel('User name').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'Enter both the user name and the password.');
    await signInAs('ada', 'not her password');
    await page.getByText('faxd refused that user name or password.').waitFor();
    assert.equal(await page.locator('nav, .line').count(), 0);
    assert.deepEqual(
      (await browser.context.cookies()).map((cookie) => cookie.name),
      [],
      'no session cookie for a refused sign-in',
    );
  });

  it('signs in on an HttpOnly session cookie and shows the lines, live', async () => {
    const { page } = browser;
    await signInAs('ada', PASSWORD);
    await page.locator('main[data-connection="live"]').waitFor();
    await page.locator('.line').first().waitFor();
    assert.deepEqual(await page.locator('.line h2').allTextContents(), ['Loopback 1', 'Loopback 2']);
    const session = (await browser.context.cookies()).find((cookie) => cookie.name === 'faxd_session');
    assert.equal(session?.httpOnly, true);
    assert.equal(session?.sameSite, 'Strict');
    assert.equal(
      await page.evaluate(() => document.cookie.includes('faxd_session')),
      false,
      'the page cannot read the session',
    );
    assert.equal(await page.evaluate(() => JSON.stringify(sessionStorage).includes('a long console')), false);
    await browser.screenshot('sign-in-user');
  });

  it('sends a change with the CSRF token: a preview of samples/letter.pdf renders', async () => {
    const { page } = browser;
    await page.goto(`${faxd.url}/#/send`);
    await page.setInputFiles('#send-files', LETTER);
    await page.getByText('letter.pdf').waitFor();
    await page.getByLabel('Fax number').fill('5550100');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.preview-page img').nth(1).waitFor();
  });

  it('signs out: faxd ends the session, and the page asks to sign in again', async () => {
    const { page } = browser;
    const before = (await browser.context.cookies()).find((cookie) => cookie.name === 'faxd_session')?.value;
    assert.ok(before);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    const answer = await fetch(`${faxd.url}/v1/me`, { headers: { cookie: `faxd_session=${before}` } });
    assert.equal(answer.status, 401);
  });
});
