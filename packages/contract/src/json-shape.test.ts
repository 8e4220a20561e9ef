import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIsoUtcTime, isLong, shapeProblems } from './json-shape.js';

describe('isIsoUtcTime', () => {
  const cases = [
    ['2026-11-23T07:00:00.000Z', true],
    ['2026-11-23T07:00:00Z', true],
    ['2026-11-23T07:00:00.5Z', true],
    ['2026-11-23T07:00:00+01:00', false],
    ['2026-11-23T07:00:00', false],
    ['2026-11-23', false],
    ['2026-11-23T25:00:00Z', false],
    [1764000000000, false],
  ] as const;
  for (const [value, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${value}`, () => assert.equal(isIsoUtcTime(value), valid));
  }
});

describe('isLong', () => {
  it('accepts 32-bit signed integers only', () => {
    assert.deepEqual([0, -1, 0x7fffffff, 0x80000000, -0x80000000, 1.5, Number.NaN, '1'].map(isLong), [
      true,
      true,
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('shapeProblems', () => {
  const rules = { n: { kind: 'count', nullable: false }, s: { kind: 'string', nullable: true } } as const;

  it('accepts a conforming object, null where allowed', () => {
    assert.deepEqual(shapeProblems({ n: 0, s: null }, rules, 'X'), []);
  });

  it('names every problem', () => {
    assert.deepEqual(shapeProblems({ n: null, t: 1 }, rules, 'X'), [
      'X.n is null, expected a count',
      'X.s is missing',
      'X.t is not a known field',
    ]);
    assert.deepEqual(shapeProblems({ n: 1n, s: [1] }, rules, 'X'), [
      'X.n is 1, expected a count',
      'X.s is an array, expected a string or null',
    ]);
    assert.deepEqual(shapeProblems(null, rules, 'X'), ['X is not an object']);
  });
});
