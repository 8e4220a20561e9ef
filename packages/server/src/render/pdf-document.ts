// PDF to fax pages. PDFium draws them on this thread and, for a longer document on a machine with a core to spare,
// on a helper thread too: both claim pages from one shared counter, so neither waits for the other.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { pageFromRows } from '@faxd/protocol/image/page';
import type { DocumentBudget } from './document-limits.js';
import { PdfPages } from './pdf-pages.js';
import type { DrawnPage, PdfRenderJob } from './pdf-render-worker.js';
import { compilePdfium, loadPdfium } from './pdfium-library.js';
import type { PageSink } from './render-document.js';

/**
 * A helper thread starts drawing a sixth of a second or so after it is started (a Node thread to boot, a PDFium to
 * instantiate, a JIT to warm up), by when this thread has drawn a dozen pages, so it pays for itself only on long
 * documents: measured on two cores, no gain at 24 pages, little at 48, a fifth to a quarter less time at 100.
 */
const HELPER_MIN_PAGES = 48;

/** A helper thread drawing pages of the job; the rows it has delivered so far, by page index. */
class RenderHelper {
  readonly delivered = new Map<number, Uint8Array>();
  readonly #worker: Worker;
  #ended = false;
  #wake = () => {};

  constructor(job: PdfRenderJob) {
    this.#worker = new Worker(new URL('./pdf-render-worker.js', import.meta.url), { workerData: job });
    this.#worker.on('message', ({ index, rows }: DrawnPage) => {
      this.delivered.set(index, rows);
      this.#wake();
    });
    // A failed helper only leaves the pages it claimed undrawn; the calling thread draws them, and it is the one to
    // report a page that cannot be drawn.
    this.#worker.on('error', () => {});
    this.#worker.on('exit', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  /** Waits until every page in `indexes` has been delivered or the helper has ended, then ends it. */
  async finish(indexes: readonly number[]): Promise<void> {
    while (!this.#ended && !indexes.every((index) => this.delivered.has(index))) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    await this.stop();
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** Draws the pages of `pdf` that no other thread has claimed, claiming each from `next`, while time allows. */
function drawUnclaimed(
  pdf: PdfPages,
  next: Int32Array,
  drawn: (Uint8Array | undefined)[],
  budget: DocumentBudget,
): void {
  for (let index = Atomics.add(next, 0, 1); index < pdf.count; index = Atomics.add(next, 0, 1)) {
    budget.checkTime();
    drawn[index] = pdf.draw(index);
  }
}

/**
 * Draws the PDF's pages into `sink` in order. The page count is held to the budget as soon as PDFium has read the
 * page tree, before a page is drawn or a helper thread started.
 */
export async function renderPdf(
  bytes: Uint8Array,
  geometry: FaxGeometry,
  budget: DocumentBudget,
  sink: PageSink,
): Promise<void> {
  const pdf = PdfPages.open(await loadPdfium(), bytes, geometry);
  try {
    budget.addPages(pdf.count);
    for (let index = 0; index < pdf.count; index++) budget.checkPage(index + 1, geometry);
    const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const useHelper = pdf.count >= HELPER_MIN_PAGES && availableParallelism() > 1;
    const helper = useHelper ? new RenderHelper({ pdfium: await compilePdfium(), bytes, geometry, next }) : undefined;
    const drawn: (Uint8Array | undefined)[] = new Array(pdf.count);
    try {
      drawUnclaimed(pdf, next, drawn, budget);
    } catch (error) {
      await helper?.stop();
      throw error;
    }
    if (helper) {
      const claimed = Array.from(drawn.keys()).filter((index) => !drawn[index]);
      await helper.finish(claimed);
      for (const index of claimed) drawn[index] = helper.delivered.get(index);
    }
    for (let index = 0; index < pdf.count; index++) {
      // Pages the helper claimed but never delivered, because it failed, are drawn here after all.
      const rows = drawn[index] ?? pdf.draw(index);
      drawn[index] = undefined;
      sink(pageFromRows(geometry, rows));
    }
  } finally {
    pdf.close();
  }
}
