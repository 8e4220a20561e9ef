// The pages a T.30 sender transmits, coded with the real T.4/T.6 codec for the DCS in force (T.30 phase C).
import { type Compression, encodePage } from '../image/codec.js';
import type { BilevelPage } from '../image/page.js';
import type { DocumentSource, PageFormat } from './document-port.js';

/** The image coder for a negotiated page format; T.30 schemes beyond MH/MR/MMR have none here. */
export function codecCompression(format: PageFormat): Compression {
  const scheme = format.compression;
  if (scheme === 'mh' || scheme === 'mr' || scheme === 'mmr') return scheme;
  throw new Error(`no coder for ${scheme}`);
}

/** Loaded pages, each coded when the session asks for it (again after a fallback or RTN). */
export class PageDocumentSource implements DocumentSource {
  readonly #pages: readonly BilevelPage[];
  readonly durable: boolean;

  /** `durable`: the caller records each page confirmed before the session goes on (DocumentSource.durable). */
  constructor(pages: readonly BilevelPage[], durable = false) {
    this.#pages = pages;
    this.durable = durable;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  page(index: number, format: PageFormat): Uint8Array {
    return encodePage(this.#pages[index] as BilevelPage, { compression: codecCompression(format) });
  }
}
