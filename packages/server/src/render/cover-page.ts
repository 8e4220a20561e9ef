// A fax cover page (Windows Fax's cover pages, reference §2.9: FaxDocument.CoverPage, Subject and Note, the FaxSender
// profile): a template of plain text with {field} placeholders, filled in for one recipient and drawn by the text
// renderer on one page of the job's geometry. A template is plain text so that a person edits it in any editor and
// sees the page as it will be faxed: one monospaced font, one character per column, as faxd draws text documents.

import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { drawTextPage, expandTabs, layoutText, textGrid } from './text-document.js';

/** The fields a template may place, as `{name}`: the fields of Windows' cover pages, named as the API names them. */
export const COVER_FIELDS = [
  'senderName',
  'senderCompany',
  'senderFaxNumber',
  'senderVoiceNumber',
  'recipientName',
  'recipientNumber',
  'subject',
  'note',
  'date',
  'time',
  'pages',
] as const;

export type CoverField = (typeof COVER_FIELDS)[number];

/** What one cover page says: every field's text, `""` when there is nothing to say. */
export type CoverValues = Readonly<Record<CoverField, string>>;

/** A cover page's fields but its page count, which is known only once the documents are rendered. */
export type CoverSheet = Omit<CoverValues, 'pages'>;

/** The cover pages of one submission: one template, a sheet per job. */
export interface CoverSheets {
  readonly template: string;
  readonly sheets: readonly CoverSheet[];
}

/**
 * The built-in template, used when a submission names none (or `default`) and the templates folder has no
 * `default.txt`. Windows' own default cover carries the same fields.
 */
export const DEFAULT_COVER_TEMPLATE = `
                                  F  A  X
================================================================================

  Date:      {date} {time}
  Pages:     {pages}, this cover page included

  To:        {recipientName}
  Fax:       {recipientNumber}

  From:      {senderName}
  Company:   {senderCompany}
  Fax:       {senderFaxNumber}
  Phone:     {senderVoiceNumber}

  Subject:   {subject}

================================================================================

{note}
`;

/** A cover page whose filled-in text runs past one page. */
export class CoverPageTooLong extends Error {
  override readonly name = 'CoverPageTooLong';
}

/** The words of `text` in lines of at most `width` characters; a word longer than that is cut. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (joined.length <= width) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    for (; rest.length > width; rest = rest.slice(width)) lines.push(rest.slice(0, width));
    line = rest;
  }
  lines.push(line);
  return lines;
}

/** A value's lines: its own line breaks kept, each line wrapped at `width`. */
function valueLines(value: string, width: number): string[] {
  const clean = value.replace(/\r\n?/g, '\n').replace(/[\t\f\v]/g, ' ');
  return clean.split('\n').flatMap((line) => wrapWords(line, width));
}

/**
 * The template with every known `{field}` replaced by its value (an unknown one left as written). A value that takes
 * more than the rest of its line (a note of several lines, a long name) goes on in lines of its own, each starting at
 * the placeholder's column, so that it lines up under its first line; the template's text after it follows its last.
 */
export function fillCoverTemplate(template: string, values: CoverValues, columns: number): string {
  const known: ReadonlySet<string> = new Set(COVER_FIELDS);
  const out: string[] = [];
  for (const templateLine of template.replace(/\r\n?/g, '\n').split('\n')) {
    let current = '';
    const parts = expandTabs(templateLine).split(/(\{\w+\})/);
    for (const part of parts) {
      const name = part.slice(1, -1);
      if (!/^\{\w+\}$/.test(part) || !known.has(name)) {
        current += part;
        continue;
      }
      const column = current.length;
      // A placeholder far to the right still gets a fair share of the line rather than one character.
      const width = Math.max(columns - column, Math.ceil(columns / 3));
      const [first = '', ...more] = valueLines(values[name as CoverField], width);
      current += first;
      for (const line of more) {
        out.push(current);
        current = ' '.repeat(column) + line;
      }
    }
    out.push(current);
  }
  return out.join('\n');
}

/** The cover page's lines on a page of `geometry`; CoverPageTooLong when they take more than one page. */
export function layoutCoverPage(template: string, values: CoverValues, geometry: FaxGeometry): string[] {
  const { columns, rows } = textGrid(geometry);
  const sheets = layoutText(fillCoverTemplate(template, values, columns), columns, rows);
  const [only] = sheets;
  if (sheets.length !== 1 || only === undefined) {
    const lines = sheets.reduce((sum, sheet) => sum + sheet.length, 0);
    throw new CoverPageTooLong(`the cover page takes ${lines} lines, more than the ${rows} of one page`);
  }
  return only;
}

/** The cover page drawn on a page of `geometry`. */
export function renderCoverPage(template: string, values: CoverValues, geometry: FaxGeometry): Promise<BilevelPage> {
  return drawTextPage(layoutCoverPage(template, values, geometry), geometry);
}
