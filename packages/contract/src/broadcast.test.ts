import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { broadcastCountsOf, dialedNumber } from './broadcast.js';
import { FAX_JOB_STATUS_ENUM } from './job-enums.js';

const S = FAX_JOB_STATUS_ENUM;

describe('broadcastCountsOf', () => {
  it('puts every base status in one count, paused and no-line jobs where their base is', () => {
    const counts = broadcastCountsOf([
      S.fjsPENDING,
      S.fjsPENDING | S.fjsPAUSED,
      S.fjsRETRYING | S.fjsNOLINE,
      S.fjsINPROGRESS,
      S.fjsCANCELING,
      S.fjsCOMPLETED,
      S.fjsCOMPLETED,
      S.fjsFAILED,
      S.fjsRETRIES_EXCEEDED,
      S.fjsCANCELED,
    ]);
    assert.deepEqual(counts, { queued: 3, inProgress: 2, completed: 2, failed: 2, canceled: 1 });
  });

  it('counts nothing for no jobs, and refuses a word that is no status', () => {
    assert.deepEqual(broadcastCountsOf([]), { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 0 });
    assert.throws(() => broadcastCountsOf([0x4]), RangeError);
    assert.throws(() => broadcastCountsOf([S.fjsPENDING | S.fjsCOMPLETED]), RangeError);
  });
});

describe('dialedNumber', () => {
  it('drops the separators people write and keeps the digits and a leading +', () => {
    assert.equal(dialedNumber('+1 (555) 010-0.1'), '+155501001');
    assert.equal(dialedNumber('555 0100'), dialedNumber('555-0100'));
    assert.notEqual(dialedNumber('+15550100'), dialedNumber('15550100'));
  });
});
