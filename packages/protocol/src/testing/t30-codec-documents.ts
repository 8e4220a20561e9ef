// Test support: document source and sink for T.30 sessions backed by the real T.4/T.6 codec.

import { type Compression, decodePage, encodePage } from '../image/codec.js';
import { faxGeometry } from '../image/geometry.js';
import type { BilevelPage } from '../image/page.js';
import type { DocumentSink, DocumentSource, PageFormat, PageQuality, ReceivedPage } from '../t30/document-port.js';

function codecCompression(format: PageFormat): Compression {
  if (format.compression === 'mh' || format.compression === 'mr' || format.compression === 'mmr') {
    return format.compression;
  }
  throw new Error(`no coder for ${format.compression}`);
}

/** Encodes each page for the format the session asks for. */
export class CodecDocumentSource implements DocumentSource {
  readonly #pages: readonly BilevelPage[];

  constructor(pages: readonly BilevelPage[]) {
    this.#pages = pages;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  page(index: number, format: PageFormat): Uint8Array {
    return encodePage(this.#pages[index], { compression: codecCompression(format) });
  }
}

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
