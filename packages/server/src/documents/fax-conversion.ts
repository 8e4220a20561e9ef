// Submitted documents to the one TIFF Class F file a job sends: every document's pages in order, each coded as soon as
// it is drawn, so a job holds one page's bitmap at a time and the codes of the others.
import type { Compression } from '@faxd/protocol/image/codec';
import { type FaxGeometry, faxGeometry, nearestResolution, type PaperSize } from '@faxd/protocol/image/geometry';
import type { PageShape } from '@faxd/protocol/image/page';
import { type CodedTiffPage, codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import { type CoverSheets, renderCoverPage } from '../render/cover-page.js';
import { DEFAULT_DOCUMENT_LIMITS, DocumentBudget, type DocumentLimits } from '../render/document-limits.js';
import { encodeFaxTiff } from './fax-files.js';
import { forEachCodedPage } from './load-pages.js';

export interface FaxConversionOptions {
  readonly paper: PaperSize;
  readonly compression: Compression;
  /** The file's DateTime. */
  readonly dateTime: Date;
  /** What the documents may ask for, all together; the default limits when absent. */
  readonly limits?: DocumentLimits;
  /** Cover pages to draw after the documents, one per sheet, at the documents' resolution and width. */
  readonly covers?: CoverSheets;
}

export interface FaxConversion {
  /** Each page's size and resolution, in order; the pixels are only in `fax`. */
  readonly pages: readonly PageShape[];
  readonly fax: Uint8Array;
  /** A one-page TIFF Class F per sheet of `covers`, in order; absent when none was asked for. */
  readonly covers?: readonly Uint8Array[];
}

/** The document at `index` (from 0) could not be turned into pages; `cause` is what its conversion threw. */
export class DocumentFailure extends Error {
  override readonly name = 'DocumentFailure';
  override readonly cause: Error;
  readonly index: number;

  constructor(index: number, cause: Error) {
    super(`document ${index + 1}: ${cause.message}`);
    this.index = index;
    this.cause = cause;
  }
}

/** Pages are rendered at fine resolution unless a TIFF document brings fax pages of its own resolution. */
export async function convertToFax(
  documents: readonly Uint8Array[],
  options: FaxConversionOptions,
): Promise<FaxConversion> {
  const budget = new DocumentBudget(options.limits ?? DEFAULT_DOCUMENT_LIMITS);
  const pages: CodedTiffPage[] = [];
  for (const [index, bytes] of documents.entries()) {
    budget.startDocument();
    try {
      await forEachCodedPage(bytes, { paper: options.paper, budget }, options.compression, (page) => pages.push(page));
    } catch (error) {
      throw new DocumentFailure(index, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const fax = encodeFaxTiff(pages, { compression: options.compression, dateTime: options.dateTime });
  const shapes = pages.map((page) => page.shape);
  if (!options.covers) return { pages: shapes, fax };
  return { pages: shapes, fax, covers: await renderCovers(options.covers, shapes, budget, options) };
}

/**
 * The page a cover goes on ahead of `first`: the same width and resolution (one DCS serves a whole call), as long as
 * the paper of that width; the pages of a job all have the first page's, or the submission is refused.
 */
export function coverGeometry(first: PageShape): FaxGeometry {
  const resolution = nearestResolution(first.xResolution, first.yResolution);
  const papers = ['a4', 'b4', 'a3'] as const;
  const paper = papers.find((each) => faxGeometry(each, resolution).width === first.width) ?? 'a4';
  const { height } = faxGeometry(paper, resolution);
  return { width: first.width, height, xResolution: first.xResolution, yResolution: first.yResolution };
}

/** Each sheet's cover page as a one-page fax, its page count the documents' pages and the cover. */
async function renderCovers(
  covers: CoverSheets,
  pages: readonly PageShape[],
  budget: DocumentBudget,
  options: FaxConversionOptions,
): Promise<Uint8Array[]> {
  const [first] = pages;
  if (!first) throw new RangeError('a cover page goes ahead of at least one page');
  const geometry = coverGeometry(first);
  const files: Uint8Array[] = [];
  for (const sheet of covers.sheets) {
    // A broadcast draws a cover per recipient: the conversion's time limit holds for them too.
    budget.checkTime();
    const page = await renderCoverPage(covers.template, { ...sheet, pages: String(pages.length + 1) }, geometry);
    const { compression, dateTime } = options;
    files.push(encodeFaxTiff([codeTiffPage(page, { compression })], { compression, dateTime }));
  }
  return files;
}
