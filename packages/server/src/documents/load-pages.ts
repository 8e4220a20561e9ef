// Any input document to fax pages: TIFF through faxd's own reader (fax pages kept exact), everything else rendered.

import type { Compression } from '@faxd/protocol/image/codec';
import {
  FAX_WIDTHS,
  type FaxResolution,
  faxGeometry,
  nearestResolution,
  type PaperSize,
  RESOLUTIONS,
} from '@faxd/protocol/image/geometry';
import type { BilevelPage, PageShape } from '@faxd/protocol/image/page';
import {
  decodeTiffPage,
  readTiffDocument,
  type TiffFile,
  transcodeTiffPage,
} from '@faxd/protocol/image/tiff/tiff-reader';
import { readTiffSourceDocument, type TiffSource } from '@faxd/protocol/image/tiff/tiff-source';
import { type CodedTiffPage, codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import { changeVerticalResolution } from '@faxd/protocol/image/vertical-resolution';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget } from '../render/document-limits.js';
import type { PageSink } from '../render/render-document.js';

export interface LoadOptions {
  paper: PaperSize;
  /** Wanted resolution; when absent, TIFF fax pages keep theirs and other documents render at fine. */
  resolution?: FaxResolution;
  /** The limits the document is held to, shared by every document of one job; the default limits when absent. */
  budget?: DocumentBudget;
}

/** True when `bytes` (a file's first four bytes at least) open a TIFF file, either byte order. */
export function isTiff(bytes: Uint8Array): boolean {
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

/** True when a TIFF page becomes its fax page untouched: it keeps its pixels and its resolution. */
function keepsPage(page: PageShape, options: LoadOptions): boolean {
  return (
    keepsPixels(page, options) &&
    wantedResolution(page, options) === nearestResolution(page.xResolution, page.yResolution)
  );
}

/** A TIFF page as a fax page: fax geometry keeps its pixels (only rows change with the resolution), anything else is rescaled. */
async function faxPageFromTiff(page: BilevelPage, options: LoadOptions): Promise<BilevelPage> {
  if (keepsPage(page, options)) return page;
  const own = nearestResolution(page.xResolution, page.yResolution);
  const wanted = wantedResolution(page, options);
  if (keepsPixels(page, options)) {
    const scale = RESOLUTIONS[wanted].linesPerMm / RESOLUTIONS[own].linesPerMm;
    return changeVerticalResolution(page, RESOLUTIONS[wanted].y, Math.round(page.height * scale));
  }
  const { renderBitmap } = await import('../render/bilevel-resample.js');
  return renderBitmap(page, faxGeometry(options.paper, wanted));
}

/**
 * Draws a document that is not a TIFF. The renderers (PDFium, sharp, the text canvas) are loaded on first use, so a
 * process that only converts TIFF (`fax convert`, a conversion thread fed fax pages) starts without them.
 */
async function drawDocument(bytes: Uint8Array, options: LoadOptions, budget: DocumentBudget, sink: PageSink) {
  const { renderDocumentPages } = await import('../render/render-document.js');
  const { paper, resolution = 'fine' } = options;
  return renderDocumentPages(bytes, { paper, resolution, budget }, sink);
}

/** Takes each page coded for a Class F file, in order. */
export type CodedPageSink = (page: CodedTiffPage) => void;

/**
 * A TIFF's pages into `sink`, decoded one at a time; every page's declared size is held to the budget before the
 * first is decoded, so a page that could never be accepted costs nothing but its directory. With `coded`, a page
 * that stays as it is goes to its sink recoded straight from its coding, with no bitmap drawn between.
 */
async function loadTiffPages(
  file: TiffFile,
  options: LoadOptions,
  budget: DocumentBudget,
  sink: PageSink,
  coded?: { compression: Compression; sink: CodedPageSink },
) {
  const { pages } = file instanceof Uint8Array ? readTiffDocument(file) : readTiffSourceDocument(file);
  budget.addPages(pages.length);
  for (const [index, info] of pages.entries())
    budget.checkPage(index + 1, { ...info, kept: keepsPixels(info, options) });
  for (const info of pages) {
    budget.checkTime();
    const recoded = coded && keepsPage(info, options) ? transcodeTiffPage(file, info, coded.compression) : undefined;
    if (coded && recoded) coded.sink(recoded.page);
    else sink(await faxPageFromTiff(decodeTiffPage(file, info).page, options));
  }
}

/** The document's fax pages into `sink`, in order, one at a time. */
export async function forEachDocumentPage(bytes: Uint8Array, options: LoadOptions, sink: PageSink): Promise<void> {
  const budget = options.budget ?? new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  if (isTiff(bytes)) return loadTiffPages(bytes, options, budget, sink);
  return drawDocument(bytes, options, budget, sink);
}

/**
 * The document's fax pages coded for a Class F file (codeTiffPage), into `sink` in order: the pages
 * forEachDocumentPage draws, but a TIFF page that stays as it is is recoded without its bitmap (`fax convert` and
 * TIFF submissions to faxd mostly bring such pages). A TIFF may come as a source read at offsets (a file the caller
 * opened), so only one page's strip is in memory at a time, as with tiffcp: the sink gets each page coded before
 * the next is read, which is what lets a page share the source's buffer.
 */
export async function forEachCodedPage(
  input: Uint8Array | TiffSource,
  options: LoadOptions,
  compression: Compression,
  sink: CodedPageSink,
): Promise<void> {
  const budget = options.budget ?? new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  const code = (page: BilevelPage) => sink(codeTiffPage(page, { compression }));
  if (!(input instanceof Uint8Array) || isTiff(input)) {
    return loadTiffPages(input, options, budget, code, { compression, sink });
  }
  return drawDocument(input, options, budget, code);
}

/** The document's fax pages, all of them. */
export async function loadDocumentPages(bytes: Uint8Array, options: LoadOptions): Promise<BilevelPage[]> {
  const pages: BilevelPage[] = [];
  await forEachDocumentPage(bytes, options, (page) => pages.push(page));
  return pages;
}
