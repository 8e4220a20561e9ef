// Test support: in-memory document source and sink for T.30 sessions, standing in for the T.4/T.6 codec.

import type { DocumentSink, DocumentSource, PageFormat, PageQuality, ReceivedPage } from '../t30/document-port.js';
import { seededRandom } from './lossy-link.js';

/** Deterministic page-like octets: `octets` long, different for each seed. */
export function testPageData(seed: number, octets: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: octets }, () => Math.floor(random() * 256));
}

export class MemoryDocumentSource implements DocumentSource {
  readonly #pages: readonly Uint8Array[];
  readonly #newFormatBefore: ReadonlySet<number>;
  /** Every page request, in order: which page and for which format. */
  readonly requests: { readonly index: number; readonly format: PageFormat }[] = [];

  constructor(pages: readonly Uint8Array[], options: { readonly newFormatBefore?: readonly number[] } = {}) {
    this.#pages = pages;
    this.#newFormatBefore = new Set(options.newFormatBefore ?? []);
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  page(index: number, format: PageFormat): Uint8Array {
    this.requests.push({ index, format });
    return this.#pages[index];
  }

  needsNewFormat(index: number): boolean {
    return this.#newFormatBefore.has(index);
  }
}

/** Judges a page: by default every `rowOctets` octets count as one good row. */
export type PageJudge = (data: Uint8Array, format: PageFormat, call: number) => PageQuality;

export class MemoryDocumentSink implements DocumentSink {
  readonly stored: ReceivedPage[] = [];
  readonly #judge: PageJudge;
  #calls = 0;
  /** How many more times `ready()` answers false (an ECM receiver then answers RNR). */
  busyAnswers = 0;

  constructor(judge?: PageJudge) {
    this.#judge = judge ?? ((data) => ({ rows: Math.ceil(data.length / 216), badRows: 0, consecutiveBadRows: 0 }));
  }

  ready(): boolean {
    if (this.busyAnswers === 0) return true;
    this.busyAnswers--;
    return false;
  }

  assessPage(data: Uint8Array, format: PageFormat): PageQuality {
    return this.#judge(data, format, this.#calls++);
  }

  storePage(page: ReceivedPage): void {
    this.stored.push(page);
  }
}
