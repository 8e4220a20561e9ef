// PDF to fax pages. PDFium draws them on this thread and, for a longer document on a machine with a core to spare,
// on a helper thread too: both claim pages from one shared counter, so neither waits for the other.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { pageFromRows } from '@faxd/protocol/image/page';
import type { DocumentBudget } from './document-limits.js';
import { PdfPages } from './pdf-pages.js';
import type { DrawnPage, PdfRenderJob, PdfRenderStart } from './pdf-render-worker.js';
import { compilePdfium, loadPdfium } from './pdfium-library.js';
import type { PageSink } from './render-document.js';

/**
 * A helper thread starts drawing a sixth of a second or so after it is started (a Node thread to boot, a PDFium to
 * instantiate, a JIT to warm up), by when this thread has drawn a dozen pages, so it pays for itself only on long
 * documents: measured on two cores, no gain at 24 pages, little at 48, a fifth to a quarter less time at 100.
 */
const HELPER_MIN_PAGES = 48;

/**
 * A PDF this large is likely to be long enough for a helper, which is then started before PDFium has read the page
 * tree, so that the thread boots while this one compiles PDFium and opens the document (a tenth of a second saved on
 * 100 pages). The sample letters take about a kilobyte a page; a short PDF this large (a scan) costs one thread
 * booted and ended without drawing, a few tens of milliseconds of the other core.
 */
const EARLY_HELPER_MIN_BYTES = 32 * 1024;

/** A helper thread drawing pages of the job; the rows it has delivered so far, by page index. */
class RenderHelper {
  readonly delivered = new Map<number, Uint8Array>();
  readonly #worker: Worker;
  #ended = false;
  #wake = () => {};

  /** Boots the thread, which draws nothing until `start`. */
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

  /** Lets the thread draw pages, with PDFium's code as this thread compiled it. */
  start(pdfium: PdfRenderStart['pdfium']): void {
    this.#worker.postMessage({ pdfium } satisfies PdfRenderStart);
  }

  /** Waits until `done` says so, asked after each page the helper delivers, or until the helper has ended; ends it. */
  async finish(done: () => boolean): Promise<void> {
    while (!this.#ended && !done()) {
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

/**
 * Pages drawn by either thread, handed to the sink in page order as soon as each one's turn comes: only the pages
 * drawn ahead of their turn are held, a few at a time since both threads claim pages in order.
 */
class PageOrder {
  /** The page whose turn it is. */
  next = 0;
  readonly #early = new Map<number, Uint8Array>();
  readonly #geometry: FaxGeometry;
  readonly #sink: PageSink;

  constructor(geometry: FaxGeometry, sink: PageSink) {
    this.#geometry = geometry;
    this.#sink = sink;
  }

  add(index: number, rows: Uint8Array): void {
    this.#early.set(index, rows);
    this.#flush();
  }

  /** Takes every page in `delivered`, emptying it. */
  take(delivered: Map<number, Uint8Array>): void {
    for (const [index, rows] of delivered) this.#early.set(index, rows);
    delivered.clear();
    this.#flush();
  }

  #flush(): void {
    for (let rows = this.#early.get(this.next); rows; rows = this.#early.get(this.next)) {
      this.#early.delete(this.next);
      this.next++;
      this.#sink(pageFromRows(this.#geometry, rows));
    }
  }
}

/** A turn of the event loop, in which the helper's finished pages come in. */
function pagesComeIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Draws the pages on this thread, and on the helper's when there is one, into `order`; the pages the helper claimed but
 * never delivered, because it failed, are drawn here after all.
 */
async function drawPages(
  pdf: PdfPages,
  budget: DocumentBudget,
  order: PageOrder,
  next: Int32Array,
  helper: RenderHelper | undefined,
): Promise<void> {
  for (let index = Atomics.add(next, 0, 1); index < pdf.count; index = Atomics.add(next, 0, 1)) {
    budget.checkTime();
    order.add(index, pdf.draw(index));
    if (helper) {
      await pagesComeIn();
      order.take(helper.delivered);
    }
  }
  await helper?.finish(() => {
    order.take(helper.delivered);
    return order.next >= pdf.count;
  });
  while (order.next < pdf.count) order.add(order.next, pdf.draw(order.next));
}

/**
 * Draws the PDF's pages into `sink` in order, each as soon as its turn comes. The page count is held to the budget as
 * soon as PDFium has read the page tree, before either thread draws a page; a helper booted early for a large file is
 * ended there when the document is refused or short.
 */
export async function renderPdf(
  bytes: Uint8Array,
  geometry: FaxGeometry,
  budget: DocumentBudget,
  sink: PageSink,
): Promise<void> {
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const spareCore = availableParallelism() > 1;
  const early = spareCore && bytes.length >= EARLY_HELPER_MIN_BYTES;
  let helper = early ? new RenderHelper({ bytes, geometry, next }) : undefined;
  try {
    const pdf = PdfPages.open(await loadPdfium(), bytes, geometry);
    try {
      budget.addPages(pdf.count);
      for (let index = 0; index < pdf.count; index++) budget.checkPage(index + 1, geometry);
      if (pdf.count < HELPER_MIN_PAGES) {
        await helper?.stop();
        helper = undefined;
      } else if (spareCore) {
        helper ??= new RenderHelper({ bytes, geometry, next });
        helper.start(await compilePdfium());
      }
      await drawPages(pdf, budget, new PageOrder(geometry, sink), next, helper);
    } finally {
      pdf.close();
    }
  } catch (error) {
    await helper?.stop();
    throw error;
  }
}
