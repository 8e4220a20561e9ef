// Submitted documents to the one TIFF Class F file a job sends: every document's pages in order, each coded as soon as
// it is drawn, so a job holds one page's bitmap at a time and the codes of the others.
import type { Compression } from '@faxd/protocol/image/codec';
import type { PaperSize } from '@faxd/protocol/image/geometry';
import type { PageShape } from '@faxd/protocol/image/page';
import type { CodedTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
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
}

export interface FaxConversion {
  /** Each page's size and resolution, in order; the pixels are only in `fax`. */
  readonly pages: readonly PageShape[];
  readonly fax: Uint8Array;
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
  return { pages: pages.map((page) => page.shape), fax };
}
