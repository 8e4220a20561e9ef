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
  type ReceivedPage,
} from '@faxd/protocol';
import type { PageStore } from './fax-line.js';

/**
 * Decodes each page as it arrives (the session judges it from the bad rows) and keeps the confirmed ones. Given a
 * PageStore it is durable: each page is written before the session may confirm it, and `onStored` hears how the
 * write ended so the call's driver can tell the session (`page-stored`).
 */
export class PageDocumentSink implements DocumentSink {
  /** The pages kept: confirmed, and with a store, written. */
  readonly pages: BilevelPage[] = [];
  readonly durable: boolean;
  onStored: (ok: boolean) => void = () => {};
  readonly #store: PageStore | undefined;
  #last: BilevelPage | undefined;

  constructor(store?: PageStore) {
    this.#store = store;
    this.durable = store !== undefined;
  }

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

  storePage(received: ReceivedPage): void {
    const page = this.#last;
    if (!this.#store) {
      if (page) this.pages.push(page);
      return;
    }
    // An ECM page that did not decode is confirmed with nothing to keep (as without a store); the answer still waits
    // for this turn of the event loop, since the session holds it only after this call returns.
    const write = page ? this.#store(page, received.page) : Promise.resolve();
    void write
      .then(
        () => {
          if (page) this.pages.push(page);
          return true;
        },
        // The store reports its own fault; the session only needs to know not to confirm the page.
        () => false,
      )
      .then((ok) => this.onStored(ok));
  }
}
