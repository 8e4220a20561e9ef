// Document ports for a real call (T.30 document transfer): pages coded for the DCS in force, received pages decoded.
import {
  type BilevelPage,
  type CodingScheme,
  type DecodedPage,
  DecodeError,
  type DocumentSink,
  type DocumentSource,
  decodePage,
  encodePage,
  faxGeometry,
  type PageFormat,
  type PageQuality,
  RESOLUTIONS,
} from '@faxd/protocol';

function codecCompression(format: PageFormat): 'mh' | 'mr' | 'mmr' {
  const scheme: CodingScheme = format.compression;
  if (scheme === 'mh' || scheme === 'mr' || scheme === 'mmr') return scheme;
  throw new Error(`no coder for ${scheme}`);
}

/** Loaded pages, each coded when the session asks for it (again after a fallback or RTN). */
export class PageDocumentSource implements DocumentSource {
  readonly #pages: readonly BilevelPage[];

  constructor(pages: readonly BilevelPage[]) {
    this.#pages = pages;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  page(index: number, format: PageFormat): Uint8Array {
    return encodePage(this.#pages[index] as BilevelPage, { compression: codecCompression(format) });
  }
}

/** Decodes each page as it arrives (the session judges it from the bad rows) and keeps the confirmed ones. */
export class PageDocumentSink implements DocumentSink {
  readonly pages: BilevelPage[] = [];
  #last: BilevelPage | undefined;

  assessPage(data: Uint8Array, format: PageFormat): PageQuality {
    const { width } = faxGeometry(format.width, format.resolution);
    const { x, y } = RESOLUTIONS[format.resolution];
    let result: DecodedPage;
    try {
      result = decodePage(data, { compression: codecCompression(format), width, xResolution: x, yResolution: y });
    } catch (error) {
      // Data too damaged to decode at all is a page to reject (RTN), not a reason to drop the call.
      if (!(error instanceof DecodeError)) throw error;
      this.#last = undefined;
      return { rows: 0, badRows: 1, consecutiveBadRows: 1 };
    }
    this.#last = result.page;
    return { rows: result.page.height, badRows: result.badRows, consecutiveBadRows: result.consecutiveBadRows };
  }

  storePage(): void {
    if (this.#last) this.pages.push(this.#last);
  }
}
