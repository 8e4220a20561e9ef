import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecipientsCsv } from './recipients-csv.js';

describe('parseRecipientsCsv', () => {
  it('reads number,name rows after an optional header, with the line of each', () => {
    const text = 'Number,Name\r\n+1 555 0101,Ann Example\r\n\r\n5550102\r\n555-0103,"Smith, Jones & Co"\r\n';
    assert.deepEqual(parseRecipientsCsv(text, 'list.csv'), [
      { number: '+1 555 0101', name: 'Ann Example', line: 2 },
      { number: '5550102', line: 4 },
      { number: '555-0103', name: 'Smith, Jones & Co', line: 5 },
    ]);
    assert.deepEqual(parseRecipientsCsv('5550101,Ann', 'list.csv'), [{ number: '5550101', name: 'Ann', line: 1 }]);
  });

  it('keeps quoted fields whole: doubled quotes, commas, line breaks and spaces; trims unquoted ones', () => {
    const text = '\uFEFF"5550101" , "The ""Grand"" Hotel"\n 5550102 ,  Bob  \n5550103,"two\nlines"\n5550104,last\n';
    assert.deepEqual(parseRecipientsCsv(text, 'list.csv'), [
      { number: '5550101', name: 'The "Grand" Hotel', line: 1 },
      { number: '5550102', name: 'Bob', line: 2 },
      { number: '5550103', name: 'two\nlines', line: 3 },
      { number: '5550104', name: 'last', line: 5 },
    ]);
  });

  it('treats a first row as a header only when it names the columns', () => {
    assert.deepEqual(parseRecipientsCsv('number\n5550101\n', 'f.csv'), [{ number: '5550101', line: 2 }]);
    // A mistyped header is a row like any other, for the server to refuse as a number.
    assert.deepEqual(parseRecipientsCsv('Numbr,Name\n', 'f.csv'), [{ number: 'Numbr', name: 'Name', line: 1 }]);
    assert.deepEqual(parseRecipientsCsv('', 'f.csv'), []);
    assert.deepEqual(parseRecipientsCsv('number,name\n\n', 'f.csv'), []);
  });

  it('names the file and the line of a row it cannot read', () => {
    const cases: [string, string][] = [
      ['5550101,Ann\n5550102,Bob,extra\n', 'f.csv line 2: 3 fields where number,name was expected'],
      ['number,name\n5550101,Ann\n,Nobody\n', 'f.csv line 3: no fax number in the first field'],
      ['5550101,"Ann\n\n5550102,Bob\n', 'f.csv line 1: a quoted field is not closed'],
      ['5550101,Ann\n5550102,"Bob" Smith\n', 'f.csv line 2: text after the closing quote of a field'],
      ['5550101,Ann\n5550102,Bob "The Builder"\n', 'f.csv line 2: a quote inside a field that does not start with one'],
      ['5550101,"two\nlines"\n5550102,"x"y\n', 'f.csv line 3: text after the closing quote of a field'],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseRecipientsCsv(text, 'f.csv'), { name: 'UserError', message }, text);
    }
  });
});
