// Test support: Debian's Chromium driven by playwright-core with the flags that keep it off the network, a fresh
// profile each time, and screenshots of the console written where .gitignore expects them.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's package `chromium` installs it here; the tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (root in CI), and none of the background traffic a fresh profile would start. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the tests write the console's screenshots (listed in .gitignore). */
export const SCREENSHOT_DIR = join(repoRoot(), 'packages', 'web', 'screenshots');

/** The console's built files; the tests drive what faxd really serves, so they must exist. */
const CONSOLE_INDEX = join(repoRoot(), 'packages', 'web', 'dist', 'console', 'index.html');

export interface ConsoleBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Saves the page as SCREENSHOT_DIR/`name`.png. */
  screenshot(name: string, page?: Page): Promise<void>;
  close(): Promise<void>;
}

export async function openConsoleBrowser(viewport = { width: 1280, height: 800 }): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install the Debian package (apt-get install -y chromium)`);
  }
  if (!existsSync(CONSOLE_INDEX)) {
    throw new Error(`the console is not built (${CONSOLE_INDEX} is missing): run npm run build`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'faxd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    screenshot: async (name, shot = page) => {
      await shot.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in on the console at `url` with `token`; resolves once the lines are live. */
export async function signInToConsole(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main[data-connection="live"]').waitFor();
}
