// What one job's documents may ask of the converter, and the budget that holds a job to it: each limit is checked
// before the step it protects (a TIFF's page sizes before decoding, a PDF's page count before drawing, an image's size
// before decoding it, a text's page count before drawing), so a few hostile bytes cannot demand gigabytes or minutes.
import { DocumentError, type DocumentLimitName } from './document-error.js';

export interface DocumentLimits {
  /** Pages of one job, all its documents together. */
  readonly pagesPerJob: number;
  /** Pixels of one page or image to be resampled (not a fax page kept as it is), as declared, before decoding. */
  readonly pixelsPerPage: number;
  /** Bytes one page takes decoded (a bilevel bitmap: a row's bytes times the rows). */
  readonly bytesPerPage: number;
  /** Decoded bytes of all the pages of one document together. */
  readonly bytesPerDocument: number;
  /** Seconds one job's conversion may take; no page is started past it. */
  readonly conversionSeconds: number;
}

/**
 * A 500-page fax takes hours on a line, so more is a mistake or an attack; 50 megapixels admits a phone camera's
 * photo; 16 MiB a page is a bilevel page of some 180 inches at superfine resolution (a T.4 page of unlimited length
 * as receivers cut it); 512 MiB a document is 500 pages at superfine.
 */
export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  pagesPerJob: 500,
  pixelsPerPage: 50_000_000,
  bytesPerPage: 16 * 1024 * 1024,
  bytesPerDocument: 512 * 1024 * 1024,
  conversionSeconds: 120,
};

const UNITS: Readonly<Record<DocumentLimitName, string>> = {
  pagesPerJob: 'pages per job',
  pixelsPerPage: 'pixels per page',
  bytesPerPage: 'bytes per page decoded',
  bytesPerDocument: 'bytes per document decoded',
  conversionSeconds: 'seconds of conversion',
};

/** The limit as a user reads it: "500 pages per job". */
export function describeLimit(name: DocumentLimitName, limits: DocumentLimits): string {
  return `${limits[name]} ${UNITS[name]}`;
}

/** A page as a document declares it: its size in pixels, and the bytes it will take decoded. */
export interface DeclaredPage {
  readonly width: number;
  readonly height: number;
  /** Decoded size; a bilevel bitmap's (a row's bytes times the rows) when not given. */
  readonly bytes?: number;
  /**
   * True for a fax page kept as it is (a TIFF page in fax geometry): it is never resampled, pixel by pixel, so only its
   * bytes count, and a long fax page is not refused for its pixels.
   */
  readonly kept?: boolean;
}

/** What the documents of one job have asked for so far, refused with a `too-large` DocumentError past a limit. */
export class DocumentBudget {
  readonly limits: DocumentLimits;
  readonly #now: () => number;
  readonly #deadline: number;
  #pages = 0;
  #documentBytes = 0;

  /** `now` is a monotonic millisecond clock; the conversion's time runs from here. */
  constructor(limits: DocumentLimits, now: () => number = () => performance.now()) {
    this.limits = limits;
    this.#now = now;
    this.#deadline = now() + limits.conversionSeconds * 1000;
  }

  /** The next document starts: its decoded bytes count from zero. */
  startDocument(): void {
    this.#documentBytes = 0;
  }

  /** The document has `count` more pages, known before any of them is drawn. */
  addPages(count: number): void {
    this.#pages += count;
    if (this.#pages > this.limits.pagesPerJob) {
      this.#refuse('pagesPerJob', `${this.#pages} pages`);
    }
  }

  /** Page `number` (from 1) of the document, about to be decoded or drawn; also checks the time. */
  checkPage(number: number, page: DeclaredPage): void {
    this.checkTime();
    const pixels = page.width * page.height;
    if (!page.kept && pixels > this.limits.pixelsPerPage) {
      this.#refuse('pixelsPerPage', `page ${number} is ${page.width} x ${page.height} pixels`);
    }
    const bytes = page.bytes ?? ((page.width + 7) >> 3) * page.height;
    if (bytes > this.limits.bytesPerPage) {
      this.#refuse('bytesPerPage', `page ${number} takes ${bytes} bytes decoded`);
    }
    this.#documentBytes += bytes;
    if (this.#documentBytes > this.limits.bytesPerDocument) {
      this.#refuse('bytesPerDocument', `pages up to ${number} take ${this.#documentBytes} bytes decoded`);
    }
  }

  /** Refuses to go on once the conversion has run past its time. */
  checkTime(): void {
    if (this.#now() > this.#deadline) this.#refuse('conversionSeconds', 'the conversion ran out of time');
  }

  #refuse(limit: DocumentLimitName, what: string): never {
    throw new DocumentError('too-large', `${what}, over the limit of ${describeLimit(limit, this.limits)}`, limit);
  }
}
