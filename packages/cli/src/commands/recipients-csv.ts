// The recipient list of `fax send --recipients FILE.csv`: CSV as RFC 4180 writes it (commas, fields in double quotes
// with "" for a quote, CRLF or LF) with two columns, number and name, and an optional header row `number,name`.
// Every problem names the line it is on, so that the person who exported the list can find it.

import type { BroadcastRecipient } from '@faxd/contract';
import { UserError } from '../user-error.js';

/** One recipient read from the file, with the line its record starts on. */
export interface CsvRecipient extends BroadcastRecipient {
  readonly line: number;
}

/** One record: its fields, and the line it starts on (a quoted field may run over several lines). */
interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** A problem at `line` of the file. */
function csvError(file: string, line: number, problem: string): UserError {
  return new UserError(`${file} line ${line}: ${problem}`);
}

/**
 * The records of `text`. Unquoted fields are trimmed (spreadsheets pad them); a quoted field keeps every character
 * between its quotes, spaces and line breaks included, and may have spaces around it.
 */
function readRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  /** Inside a quoted field, between its quotes. */
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let fieldLine = 1;

  const endField = () => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
  };

  // A byte order mark, as spreadsheets save UTF-8 CSV, is not part of the first number.
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inQuotes) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (quoted) {
      if (c !== ' ' && c !== '\t') throw csvError(file, line, 'text after the closing quote of a field');
    } else if (c === '"') {
      if (field.trim() !== '') throw csvError(file, line, 'a quote inside a field that does not start with one');
      field = '';
      quoted = true;
      inQuotes = true;
      fieldLine = line;
    } else field += c;
  }
  if (inQuotes) throw csvError(file, fieldLine, 'a quoted field is not closed');
  endRecord();
  return records;
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.length === 1 && record.fields[0] === '';
}

/** `number,name` (or `number`) in any case: the file's first record names its columns. */
function isHeader(record: CsvRecord): boolean {
  const names = record.fields.map((name) => name.toLowerCase());
  return names[0] === 'number' && (names.length === 1 || names[1] === 'name');
}

/**
 * The recipients listed in `text`, read from the file `file` (named in errors), in file order. Blank lines are
 * skipped. Whether each number can be dialed is the server's to say; the caller maps its answer back to the line.
 */
export function parseRecipientsCsv(text: string, file: string): CsvRecipient[] {
  const records = readRecords(text, file).filter((record) => !isBlank(record));
  const rows = records.length > 0 && isHeader(records[0]) ? records.slice(1) : records;
  return rows.map(({ fields, line }) => {
    if (fields.length > 2) {
      throw csvError(file, line, `${fields.length} fields where number,name was expected`);
    }
    const [number, name = ''] = fields;
    if (number === '') throw csvError(file, line, 'no fax number in the first field');
    return name === '' ? { number, line } : { number, name, line };
  });
}
