// A document's bytes to fax pages: the format is told by its first bytes, not its file name. Pages are handed on one
// at a time as they are drawn, so a caller that codes each at once never holds a document's bitmaps together.
import { type FaxResolution, faxGeometry, type PaperSize } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { DocumentError } from './document-error.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget } from './document-limits.js';
import { renderPdf } from './pdf-document.js';
import { renderRasterImage } from './raster-image.js';
import { renderText } from './text-document.js';

export interface RenderOptions {
  paper: PaperSize;
  resolution: FaxResolution;
  /** The limits the document is held to, shared by every document of one job; the default limits when absent. */
  budget?: DocumentBudget;
}

/** Takes each page as it is drawn, in order. */
export type PageSink = (page: BilevelPage) => void;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** UTF-8 text without NULs, or undefined. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** Draws the document's pages into `sink`, one by one, each checked against the budget before it is drawn. */
export async function renderDocumentPages(bytes: Uint8Array, options: RenderOptions, sink: PageSink): Promise<void> {
  const geometry = faxGeometry(options.paper, options.resolution);
  const budget = options.budget ?? new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  if (bytes.length === 0) throw new DocumentError('empty', 'the file is empty');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return renderPdf(bytes, geometry, budget, sink);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return sink(await renderRasterImage(bytes, geometry, 'PNG', budget));
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sink(await renderRasterImage(bytes, geometry, 'JPEG', budget));
  const text = asText(bytes);
  if (text === undefined)
    throw new DocumentError('unknown-format', 'unknown document format: not PDF, TIFF, PNG, JPEG or UTF-8 text');
  return renderText(text, geometry, budget, sink);
}

/** The document's pages, all of them. */
export async function renderDocument(bytes: Uint8Array, options: RenderOptions): Promise<BilevelPage[]> {
  const pages: BilevelPage[] = [];
  await renderDocumentPages(bytes, options, (page) => pages.push(page));
  return pages;
}
