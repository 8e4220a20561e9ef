import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAX_JOB_STATUS_ENUM as S, FAX_JOB_EXTENDED_STATUS_ENUM as X } from '@faxd/contract';
import { type JobProgress, progressText, statusText } from './job-text.js';
import { MAX_JOB_LINES, type ProgressStream, progressBar, SendProgress, summaryText } from './send-progress.js';
import { formatTable } from './text-table.js';

function stream(isTTY: boolean, columns?: number): ProgressStream & { text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

const dialing: JobProgress = {
  status: S.fjsINPROGRESS,
  extendedStatusCode: X.fjesDIALING,
  extendedStatus: '',
  currentPage: 0,
  pages: 4,
};
const page3: JobProgress = { ...dialing, extendedStatusCode: X.fjesTRANSMITTING, currentPage: 3 };
const done: JobProgress = {
  ...page3,
  status: S.fjsCOMPLETED,
  extendedStatusCode: X.fjesCALL_COMPLETED,
  currentPage: 4,
};

describe('job progress text', () => {
  it('names the state, its detail and the page', () => {
    assert.equal(progressText(dialing), 'in progress (dialing)');
    assert.equal(progressText(page3), 'in progress (transmitting), page 3 of 4');
    assert.equal(statusText(S.fjsPENDING | S.fjsPAUSED | S.fjsNOLINE), 'pending, paused, no line');
    assert.equal(statusText(S.fjsRETRIES_EXCEEDED), 'retries exceeded');
    const proprietary = { ...dialing, extendedStatusCode: X.fjesPROPRIETARY + 5, extendedStatus: 'modem on fire' };
    assert.equal(progressText(proprietary), 'in progress (modem on fire)');
  });

  it('fills the bar with the pages already sent, all of it once completed', () => {
    assert.equal(progressBar(dialing), `[${'-'.repeat(24)}]`);
    assert.equal(progressBar(page3), `[${'#'.repeat(12)}${'-'.repeat(12)}]`);
    assert.equal(progressBar(done), `[${'#'.repeat(24)}]`);
  });
});

describe('SendProgress', () => {
  it('prints one line per change when the stream is not a terminal', () => {
    const out = stream(false);
    const progress = new SendProgress(out, '7');
    for (const job of [dialing, dialing, page3, done]) progress.update(job);
    progress.finish();
    assert.equal(
      out.text,
      'job 7: in progress (dialing)\njob 7: in progress (transmitting), page 3 of 4\n' +
        'job 7: completed (call completed), page 4 of 4\n',
    );
  });

  it('redraws one line on a terminal, cut to its width, and ends it when finished', () => {
    const out = stream(true, 40);
    const progress = new SendProgress(out, '7');
    progress.update(dialing);
    progress.update(page3);
    progress.finish();
    const bar = `[${'#'.repeat(12)}${'-'.repeat(12)}]`;
    // 39 characters: one column is kept free so that the cursor never wraps.
    const expected = [`[${'-'.repeat(24)}] job 7: in pr`, `${bar} job 7: in pr`];
    assert.equal(out.text, `\r${expected[0]}\x1b[K\r${expected[1]}\x1b[K\n`);
  });
});

describe('SendProgress for a broadcast', () => {
  it('prints a line per change of each job when the stream is not a terminal', () => {
    const out = stream(false);
    const progress = new SendProgress(out, ['a', 'b']);
    progress.update(dialing, 'a');
    progress.update(dialing, 'b');
    progress.update(dialing, 'a');
    progress.update(done, 'a');
    progress.finish();
    assert.equal(
      out.text,
      'job a: in progress (dialing)\njob b: in progress (dialing)\njob a: completed (call completed), page 4 of 4\n',
    );
  });

  it('redraws a line per job on a terminal, going back up over the block', () => {
    const out = stream(true, 200);
    const progress = new SendProgress(out, ['a', 'b', 'c']);
    progress.update(dialing, 'b');
    progress.update(done, 'b');
    progress.finish();
    const empty = `[${'-'.repeat(24)}]`;
    const full = `[${'#'.repeat(24)}]`;
    const block = (b: string) => `\r${empty} job a: submitted\x1b[K\n\r${b}\x1b[K\n\r${empty} job c: submitted\x1b[K`;
    assert.equal(
      out.text,
      `${block(`${empty} job b: in progress (dialing)`)}\x1b[2A${block(`${full} job b: completed (call completed), page 4 of 4`)}\n`,
    );
  });

  it('draws the jobs as submitted in one go, and a terminal that tells no width as 80 columns', () => {
    const out = stream(true, 0);
    const progress = new SendProgress(out, ['a', 'b']);
    progress.updateAll([
      { ...dialing, jobId: 'a' },
      { ...page3, jobId: 'b' },
    ]);
    const empty = `[${'-'.repeat(24)}]`;
    const half = `[${'#'.repeat(12)}${'-'.repeat(12)}]`;
    assert.equal(
      out.text,
      `\r${empty} job a: in progress (dialing)\x1b[K\n\r${half} job b: in progress (transmitting), page 3 of 4\x1b[K`,
    );
  });

  it(`sums up more than ${MAX_JOB_LINES} jobs in one line`, () => {
    const ids = Array.from({ length: 12 }, (_, i) => `j${i}`);
    const out = stream(false);
    const progress = new SendProgress(out, ids);
    progress.update(dialing, 'j0');
    progress.update(page3, 'j0');
    progress.update(done, 'j0');
    progress.update({ ...done, status: S.fjsRETRIES_EXCEEDED }, 'j1');
    assert.equal(
      out.text,
      '0 of 12 ended: 1 in progress, 11 queued\n1 of 12 ended: 1 completed, 11 queued\n' +
        '2 of 12 ended: 1 completed, 1 failed, 10 queued\n',
    );
    const tty = stream(true, 200);
    const bar = new SendProgress(tty, ids);
    bar.update(done, 'j3');
    bar.update(done, 'j4');
    bar.update(done, 'j5');
    assert.equal(
      tty.text,
      `\r[##${'-'.repeat(22)}] 1 of 12 ended: 1 completed, 11 queued\x1b[K` +
        `\r[####${'-'.repeat(20)}] 2 of 12 ended: 2 completed, 10 queued\x1b[K` +
        `\r[######${'-'.repeat(18)}] 3 of 12 ended: 3 completed, 9 queued\x1b[K`,
    );
    assert.equal(summaryText([undefined, { ...dialing, status: S.fjsCANCELED }]), '1 of 2 ended: 1 canceled, 1 queued');
  });
});

describe('formatTable', () => {
  it('pads columns to their widest cell and right-aligns numbers', () => {
    const rows = [
      { id: 1, name: 'Line 1' },
      { id: 12, name: 'A' },
    ];
    const columns = [
      { header: 'PORT', cell: (row: (typeof rows)[number]) => row.id },
      { header: 'NAME', cell: (row: (typeof rows)[number]) => row.name },
    ];
    assert.equal(formatTable(columns, rows), 'PORT  NAME\n   1  Line 1\n  12  A\n');
  });
});
