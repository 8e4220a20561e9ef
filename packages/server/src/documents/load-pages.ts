// Any input document to fax pages: TIFF through faxd's own reader (fax pages kept exact), everything else rendered.
import {
  FAX_WIDTHS,
  type FaxResolution,
  faxGeometry,
  nearestResolution,
  type PaperSize,
  RESOLUTIONS,
} from '@faxd/protocol/image/geometry';
import type { BilevelPage, PageShape } from '@faxd/protocol/image/page';
import { decodeTiffPage, readTiffDocument } from '@faxd/protocol/image/tiff/tiff-reader';
import { changeVerticalResolution } from '@faxd/protocol/image/vertical-resolution';
import { renderBitmap } from '../render/bilevel-resample.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget } from '../render/document-limits.js';
import { type PageSink, renderDocumentPages } from '../render/render-document.js';

export interface LoadOptions {
  paper: PaperSize;
  /** Wanted resolution; when absent, TIFF fax pages keep theirs and other documents render at fine. */
  resolution?: FaxResolution;
  /** The limits the document is held to, shared by every document of one job; the default limits when absent. */
  budget?: DocumentBudget;
}

function isTiff(bytes: Uint8Array): boolean {
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a;
  return le || be;
}

/** The resolution a TIFF page becomes: the one asked for, or the fax resolution nearest its own. */
function wantedResolution(page: PageShape, options: LoadOptions): FaxResolution {
  return options.resolution ?? nearestResolution(page.xResolution, page.yResolution);
}

/**
 * True when a TIFF page keeps its pixels: it is in fax geometry (one of the T.4 scan widths at its horizontal
 * resolution) and stays at that horizontal resolution. Any other page is rescaled.
 */
function keepsPixels(page: PageShape, options: LoadOptions): boolean {
  const faxGeometry = FAX_WIDTHS.has(page.width) && [204, 300, 400].includes(page.xResolution);
  return faxGeometry && RESOLUTIONS[wantedResolution(page, options)].x === page.xResolution;
}

/** A TIFF page as a fax page: fax geometry keeps its pixels (only rows change with the resolution), anything else is rescaled. */
async function faxPageFromTiff(page: BilevelPage, options: LoadOptions): Promise<BilevelPage> {
  const own = nearestResolution(page.xResolution, page.yResolution);
  const wanted = wantedResolution(page, options);
  if (keepsPixels(page, options)) {
    if (wanted === own) return page;
    const scale = RESOLUTIONS[wanted].linesPerMm / RESOLUTIONS[own].linesPerMm;
    return changeVerticalResolution(page, RESOLUTIONS[wanted].y, Math.round(page.height * scale));
  }
  return renderBitmap(page, faxGeometry(options.paper, wanted));
}

/**
 * A TIFF's pages into `sink`, decoded one at a time; every page's declared size is held to the budget before the
 * first is decoded, so a page that could never be accepted costs nothing but its directory.
 */
async function loadTiffPages(bytes: Uint8Array, options: LoadOptions, budget: DocumentBudget, sink: PageSink) {
  const document = readTiffDocument(bytes);
  budget.addPages(document.pages.length);
  for (const [index, info] of document.pages.entries())
    budget.checkPage(index + 1, { ...info, kept: keepsPixels(info, options) });
  for (const info of document.pages) {
    budget.checkTime();
    sink(await faxPageFromTiff(decodeTiffPage(document.data, info).page, options));
  }
}

/** The document's fax pages into `sink`, in order, one at a time. */
export async function forEachDocumentPage(bytes: Uint8Array, options: LoadOptions, sink: PageSink): Promise<void> {
  const budget = options.budget ?? new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  if (isTiff(bytes)) return loadTiffPages(bytes, options, budget, sink);
  return renderDocumentPages(bytes, { paper: options.paper, resolution: options.resolution ?? 'fine', budget }, sink);
}

/** The document's fax pages, all of them. */
export async function loadDocumentPages(bytes: Uint8Array, options: LoadOptions): Promise<BilevelPage[]> {
  const pages: BilevelPage[] = [];
  await forEachDocumentPage(bytes, options, (page) => pages.push(page));
  return pages;
}
