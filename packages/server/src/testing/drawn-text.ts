// Test support: text drawn by faxd's text renderer on one A4 fax page, the reference a cover page is compared with,
// and the comparison of a received page with it below the band the header line is stamped in.

import type { BilevelPage } from '@faxd/protocol';
import { faxGeometry } from '@faxd/protocol/image/geometry';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget } from '../render/document-limits.js';
import { renderText } from '../render/text-document.js';

/** The rows the header line is stamped in at fine resolution (0.2 in). */
export const FINE_HEADER_ROWS = 39;

/** `text` as the text renderer draws it on one A4 page at `resolution` (fine by default). */
export async function drawnText(text: string, resolution: 'standard' | 'fine' = 'fine'): Promise<BilevelPage> {
  const pages: BilevelPage[] = [];
  const budget = new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  await renderText(text, faxGeometry('a4', resolution), budget, (page) => pages.push(page));
  if (pages.length !== 1) throw new Error(`the text takes ${pages.length} pages, not one`);
  return pages[0] as BilevelPage;
}

/** Whether `page` has `expected`'s size and pixels, but for the top `skipRows` (a header line sent over them). */
export function samePixelsBelow(page: BilevelPage, expected: BilevelPage, skipRows = 0): boolean {
  if (page.width !== expected.width || page.height !== expected.height) return false;
  const from = skipRows * page.stride;
  return Buffer.from(page.data.subarray(from)).equals(Buffer.from(expected.data.subarray(from)));
}
