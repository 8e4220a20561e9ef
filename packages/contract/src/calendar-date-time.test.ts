// The calendar check shared by the API's schedule times and `fax send --at`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCalendarDateTime } from './calendar-date-time.js';

describe('isCalendarDateTime', () => {
  it('takes dates that exist, with or without seconds, fraction and offset', () => {
    for (const text of [
      '2024-02-29T00:00:00Z',
      '2000-02-29T23:59:59.999Z',
      '2025-12-31T18:00',
      '2025-01-31T18:00:00+05:30',
      '2025-06-30T00:00:00-12:00',
    ]) {
      assert.equal(isCalendarDateTime(text), true, text);
    }
  });

  it('refuses days past the month’s end, non-leap February 29th and out-of-range times', () => {
    for (const text of [
      '2024-02-30T10:00:00Z',
      '2023-02-29T10:00:00Z',
      '2024-04-31T10:00:00Z',
      '2024-13-01T10:00:00Z',
      '2024-00-10T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:61Z',
      '2024-01-01T10:00:00+25:00',
      '2024-01-01',
      'tomorrow',
      '1900-02-29T00:00:00Z',
      '2025-06-31T00:00:00Z',
      '2025-01-01T18:00Zz',
    ]) {
      assert.equal(isCalendarDateTime(text), false, text);
    }
  });
});
