// A sending job's confirmed pages are in the store before the far end can end the call (issue 16: no fax sent twice).
// A sandbox pair faxes to itself on one node: the moment the partner's reception is recorded as received, the sender's
// job must already say every page was confirmed, or a node killed then would hold a whole reception and a job another
// node sends again. The store is SQLite here so that the test can read it at that very moment, from the event's
// delivery, with a connection of its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import SQLite from 'better-sqlite3';
import { finalJob, startTestFaxd, type TestFaxd } from '../testing/faxd-fixture.js';
import { sandboxLinePairs, submitNumberedFax } from '../testing/numbered-faxes.js';

const S = FAX_JOB_STATUS_ENUM;

describe('a sending job on a sandbox pair', () => {
  let faxd: TestFaxd;
  let store: SQLite.Database;

  before(async () => {
    faxd = await startTestFaxd({
      store: { kind: 'sqlite' },
      outboundQueue: { headerTemplate: '', retries: 0 },
      lines: sandboxLinePairs(5, 1),
    });
    store = new SQLite(join(faxd.dataDir, 'faxd.sqlite'), { readonly: true });
  });
  after(async () => {
    store.close();
    await faxd.dispose();
  });

  it('has its confirmed pages stored before the partner records the fax received', async () => {
    const confirmedWhenReceived: { confirmed: number; pages: number }[] = [];
    const read = store.prepare("select confirmed_pages as confirmed, pages from jobs where direction = 'outgoing'");
    faxd.service.hub.subscribe(0x3ff, (event) => {
      // The hub delivers as the change is published, right after its write: the store as it is at that moment.
      if (event.event === 'incomingJobChanged' && event.status.status === S.fjsROUTING) {
        confirmedWhenReceived.push(read.get() as { confirmed: number; pages: number });
      }
    });
    const jobId = await submitNumberedFax(faxd.url, 7, { to: '555 0107', pages: 3, line: 5 });
    assert.equal((await finalJob(faxd.url, jobId)).status, S.fjsCOMPLETED);
    assert.deepEqual(confirmedWhenReceived, [{ confirmed: 3, pages: 3 }]);
  });
});
