// Test support: a document sink for T.30 sessions that decodes with the real T.4/T.6 codec and keeps what it stored.

import { decodePage } from '../image/codec.js';
import { faxGeometry } from '../image/geometry.js';
import type { BilevelPage } from '../image/page.js';
import type { DocumentSink, PageFormat, PageQuality, ReceivedPage } from '../t30/document-port.js';
import { codecCompression } from '../t30/page-document-source.js';

/** Decodes each page as it arrives and keeps the decoded pages beside the stored data. */
export class CodecDocumentSink implements DocumentSink {
  readonly stored: ReceivedPage[] = [];
  readonly decoded: BilevelPage[] = [];
  #last?: BilevelPage;

  assessPage(data: Uint8Array, format: PageFormat): PageQuality {
    const { width } = faxGeometry(format.width, format.resolution);
    const result = decodePage(data, { compression: codecCompression(format), width });
    this.#last = result.page;
    return { rows: result.page.height, badRows: result.badRows, consecutiveBadRows: result.consecutiveBadRows };
  }

  storePage(page: ReceivedPage): void {
    this.stored.push(page);
    this.decoded.push(this.#last!);
  }
}
