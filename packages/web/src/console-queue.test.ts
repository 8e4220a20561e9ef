// The console's Queue page in Chromium against a real faxd whose outgoing queue is paused, so jobs wait: each row
// offers exactly the operations its availableOperations allows, and pause, resume and cancel clicked there reach
// faxd (a second job ends canceled) and show live.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_OPERATIONS_ENUM as O, FAX_JOB_STATUS_ENUM as S } from '@faxd/contract';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '@faxd/server/testing/faxd-fixture';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from './testing/console-browser.js';

/** The buttons the console should show for an availableOperations mask, in the console's order. */
function expectedButtons(mask: number): string[] {
  const buttons: [number, string][] = [
    [O.fjoPAUSE, 'Pause'],
    [O.fjoRESUME, 'Resume'],
    [O.fjoRESTART, 'Restart'],
    [O.fjoDELETE, 'Cancel'],
  ];
  return buttons.filter(([bit]) => (mask & bit) !== 0).map(([, label]) => label);
}

function row(page: Page, jobId: string) {
  return page.locator(`tr[data-job-id="${jobId}"]`);
}

describe('web console: the queue', () => {
  let faxd: TestFaxd;
  let browser: ConsoleBrowser;
  const job = async (jobId: string) => (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;

  before(async () => {
    faxd = await startTestFaxd();
    const paused = await requestJson(faxd.url, '/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    assert.equal(paused.status, 200);
    browser = await openConsoleBrowser();
  });
  after(async () => {
    await browser?.close();
    await faxd?.dispose();
  });

  it('lists waiting jobs with exactly the operations availableOperations allows, and cancels a second job', async () => {
    const { page } = browser;
    const first = await submitText(faxd.url, 'first fax\n', '5550101');
    const second = await submitText(faxd.url, 'second fax\n', '5550102');
    await page.goto(`${faxd.url}/#/queue`);
    await row(page, second).waitFor();
    for (const jobId of [first, second]) {
      const mask = (await job(jobId)).availableOperations;
      assert.deepEqual(await row(page, jobId).locator('.actions button').allTextContents(), expectedButtons(mask));
      assert.equal(await row(page, jobId).locator('.pill').textContent(), 'pending');
    }

    await row(page, first)
      .getByRole('button', { name: `Pause job ${first}` })
      .click();
    await row(page, first).locator('.pill', { hasText: 'pending, paused' }).waitFor();
    const paused = await job(first);
    assert.equal(paused.status, S.fjsPENDING | S.fjsPAUSED);
    assert.deepEqual(
      await row(page, first).locator('.actions button').allTextContents(),
      expectedButtons(paused.availableOperations),
    );
    await browser.screenshot('queue');

    await row(page, second)
      .getByRole('button', { name: `Cancel job ${second}` })
      .click();
    // A canceled job has ended: it leaves the Active list, and All shows it canceled with nothing left to do.
    await row(page, second).waitFor({ state: 'detached' });
    await page.getByLabel('All').check();
    await row(page, second).locator('.pill', { hasText: 'canceled' }).waitFor();
    assert.equal(await row(page, second).locator('.actions button').count(), 0);
    await waitFor('the second job canceled in faxd', async () =>
      (await job(second)).status === S.fjsCANCELED ? true : undefined,
    );

    await page.getByLabel('Active').check();
    await row(page, first)
      .getByRole('button', { name: `Resume job ${first}` })
      .click();
    await row(page, first)
      .locator('.pill', { hasText: /^pending$/ })
      .waitFor();
    assert.equal((await job(first)).status, S.fjsPENDING);
    await page.getByText('The outgoing queue is paused').waitFor();
  });

  it("switches the queue's pause from the Server page and logs the change live", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Server' }).click();
    const pause = page.getByLabel('Pause the outgoing queue');
    assert.equal(await pause.isChecked(), true);
    await page.getByLabel('Block the outgoing queue').check();
    await waitFor('the outgoing queue blocked', async () =>
      (await requestJson(faxd.url, '/v1/queue')).body.outgoingQueueBlocked ? true : undefined,
    );
    await page.locator('.log li', { hasText: 'queuesStatusChange' }).first().waitFor();
    await page.getByLabel('Block the outgoing queue').uncheck();
    await waitFor('the outgoing queue open again', async () =>
      (await requestJson(faxd.url, '/v1/queue')).body.outgoingQueueBlocked ? undefined : true,
    );
    assert.equal((await requestJson(faxd.url, '/v1/queue')).body.outgoingQueuePaused, true);
    await browser.screenshot('server');
  });
});
