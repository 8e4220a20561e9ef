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
  /** The pages kept, by page number: with a store, written (and then confirmed, unless the call ended first). */
  readonly #kept: { number: number; page: BilevelPage }[] = [];
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
      if (page) this.#kept.push({ number: received.page, page });
      return;
    }
    // An ECM page that did not decode is confirmed with nothing to keep (as without a store); the answer still waits
    // for this turn of the event loop, since the session holds it only after this call returns.
    const write = page ? this.#store(page, received.page) : Promise.resolve();
    void write
      .then(
        () => {
          if (page) this.#kept.push({ number: received.page, page });
          return true;
        },
        // The store reports its own fault; the session only needs to know not to confirm the page.
        () => false,
      )
      .then((ok) => this.onStored(ok));
  }

  /**
   * The pages kept of the first `confirmed` (those the session answered MCF or RTP): a page written whose answer
   * never went (the call cut, or stopped for want of the node's lease, in between) is not the far end's to count as
   * delivered, so it calls again with it, and a reception that kept it too would hold that page twice.
   */
  confirmedPages(confirmed: number): BilevelPage[] {
    return this.#kept.filter(({ number }) => number <= confirmed).map(({ page }) => page);
  }
}
