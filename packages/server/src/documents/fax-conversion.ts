// Submitted documents to the one TIFF Class F file a job sends: every document's pages in order, coded once.
import type { Compression } from '@faxd/protocol/image/codec';
import type { PaperSize } from '@faxd/protocol/image/geometry';
import type { BilevelPage, PageShape } from '@faxd/protocol/image/page';
import { encodeFaxTiff } from './fax-files.js';
import { loadDocumentPages } from './load-pages.js';

export interface FaxConversionOptions {
  readonly paper: PaperSize;
  readonly compression: Compression;
  /** The file's DateTime. */
  readonly dateTime: Date;
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
  const pages: BilevelPage[] = [];
  for (const [index, bytes] of documents.entries()) {
    try {
      pages.push(...(await loadDocumentPages(bytes, { paper: options.paper })));
    } catch (error) {
      throw new DocumentFailure(index, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const fax = encodeFaxTiff(pages, { compression: options.compression, dateTime: options.dateTime });
  const shapes = pages.map(({ width, height, xResolution, yResolution }) => ({
    width,
    height,
    xResolution,
    yResolution,
  }));
  return { pages: shapes, fax };
}
