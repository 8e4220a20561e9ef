// The document sink of a real call (T.30 document transfer): received pages decoded, the confirmed ones kept.
import {
  type BilevelPage,
  codecCompression,
  type DecodedPage,
  DecodeError,
  type DocumentSink,
  decodePage,
  faxGeometry,
  type PageFormat,
  type PageQuality,
  RESOLUTIONS,
} from '@faxd/protocol';

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
