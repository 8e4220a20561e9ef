// The numbered-fax helper many-job tests rely on: numbers read back from the pages they were drawn on, and an inbox
// judged by them (a helper that could not see a missing or doubled fax would let those tests pass whatever happened).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTiff } from '@faxd/protocol';
import { type NumberedArrival, numberedFax, numberedInboxProblems, readNumberedPage } from './numbered-faxes.js';

function arrival(id: string, jobs: number[], pages: number[]): NumberedArrival {
  return { message: { id }, jobs, pages, received: [] };
}

describe('numbered faxes', () => {
  it('carry their job and page numbers through a TIFF', () => {
    for (const job of [0, 1, 200, 0xabcdef, 2 ** 24 - 1]) {
      const pages = readTiff(numberedFax(job, 3)).map(({ page }) => readNumberedPage(page));
      assert.deepEqual(pages, [
        { job, page: 1 },
        { job, page: 2 },
        { job, page: 3 },
      ]);
    }
  });

  it('find nothing wrong with one whole fax per job', () => {
    const inbox = [arrival('a', [2, 2], [1, 2]), arrival('b', [1, 1], [1, 2])];
    assert.deepEqual(numberedInboxProblems(inbox, [1, 2], 2), []);
  });

  it('name a missing, doubled, partial, mixed or unsent fax', () => {
    const inbox = [
      arrival('a', [1, 1], [1, 2]),
      arrival('b', [1, 1], [1, 2]),
      arrival('c', [3], [1]),
      arrival('d', [4, 5], [1, 2]),
      arrival('e', [9, 9], [1, 2]),
    ];
    assert.deepEqual(numberedInboxProblems(inbox, [1, 2, 3, 4], 2), [
      'job 3 arrived with pages 1',
      'fax d mixes jobs 4,5',
      'job 1 arrived 2 times',
      'job 2 arrived 0 times',
      'job 9 was never sent',
    ]);
  });
});
