// The header line stamped across the top of every sent page (the "branding" of Windows Fax and the TTI of T.30
// practice): sender id, date and time, page n/m, in DejaVu Sans Mono inside the page's top margin.

import type { BilevelPage } from '@faxd/protocol/image/page';
import { screenRgba } from './bilevel.js';
import { FONT_FAMILY, loadCanvas } from './text-document.js';

const HEADER_POINTS = 9;
/** The band the header occupies: 0.2 in from the top edge, inside the usual quarter-inch unprintable margin. */
const BAND_INCHES = 0.2;
const LEFT_INCHES = 0.25;

export interface HeaderFields {
  readonly tsid: string;
  readonly recipient: string;
  readonly sender: string;
  readonly at: Date;
}

/** `template` with {tsid} {date} {time} {page} {pages} {recipient} {sender} filled in for page `page` of `pages`. */
export function headerText(template: string, fields: HeaderFields, page: number, pages: number): string {
  const iso = fields.at.toISOString();
  const values: Readonly<Record<string, string>> = {
    tsid: fields.tsid,
    recipient: fields.recipient,
    sender: fields.sender,
    date: iso.slice(0, 10),
    time: `${iso.slice(11, 16)} UTC`,
    page: String(page),
    pages: String(pages),
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The page with `text` drawn in black over its top band (what was there stays where the text is not). */
export async function stampHeader(page: BilevelPage, text: string): Promise<BilevelPage> {
  const { createCanvas } = await loadCanvas();
  const band = Math.min(page.height, Math.round(BAND_INCHES * page.yResolution));
  const canvas = createCanvas(page.width, band);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, page.width, band);
  ctx.setTransform(page.xResolution / 72, 0, 0, page.yResolution / 72, 0, 0);
  ctx.fillStyle = '#000000';
  ctx.font = `${HEADER_POINTS}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'bottom';
  ctx.fillText(text, LEFT_INCHES * 72, BAND_INCHES * 72 - 1);
  const stamp = screenRgba(canvas.data(), { width: page.width, height: band, xResolution: 0, yResolution: 0 });
  const data = page.data.slice();
  for (let i = 0; i < band * page.stride; i++) data[i] = (data[i] as number) | (stamp.data[i] as number);
  return { ...page, data };
}
