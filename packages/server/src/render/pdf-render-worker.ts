// The helper thread of renderPdf: started while the calling thread is still reading the PDF, it loads PDFium's
// JavaScript, then waits for the go-ahead with the compiled module, opens the same PDF in a PDFium of its own, draws the
// pages it claims from the counter it shares with the calling thread, codes them when the caller codes pages, and posts
// each page back as soon as it is ready.
import { parentPort, workerData } from 'node:worker_threads';
import type { Compression } from '@faxd/protocol/image/codec';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { type DrawnPdfPage, PdfPages } from './pdf-pages.js';
import { type CompiledPdfium, instantiatePdfium, loadPdfiumFactory } from './pdfium-library.js';

export interface PdfRenderJob {
  readonly bytes: Uint8Array;
  readonly geometry: FaxGeometry;
  /** The next page to draw, claimed with Atomics.add by every thread drawing the document. */
  readonly next: Int32Array;
  /** The coding each page is handed on in; absent, pages go back as packed rows. */
  readonly compression?: Compression;
}

/** The go-ahead: PDFium as compiled by the calling thread, whose code this thread shares. */
export interface PdfRenderStart {
  readonly pdfium: CompiledPdfium;
}

export interface DrawnPage {
  readonly index: number;
  readonly page: DrawnPdfPage;
}

/**
 * The page with its bytes in a buffer of their own, which is then moved to the calling thread, not copied: a view into
 * a larger buffer would take all of that buffer along.
 */
function movable(page: DrawnPdfPage): DrawnPdfPage {
  const bytes = page instanceof Uint8Array ? page : page.strip;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return page;
  return page instanceof Uint8Array ? page.slice() : { ...page, strip: page.strip.slice() };
}

if (!parentPort) throw new Error('pdf-render-worker runs only as a worker thread');
const port = parentPort;
const job = workerData as PdfRenderJob;
const [start] = await Promise.all([
  new Promise<PdfRenderStart>((resolve) => port.once('message', resolve)),
  loadPdfiumFactory(),
]);
const pdf = PdfPages.open(await instantiatePdfium(start.pdfium), job.bytes, job.geometry);
const { next } = job;
try {
  for (let index = Atomics.add(next, 0, 1); index < pdf.count; index = Atomics.add(next, 0, 1)) {
    const page = movable(pdf.drawn(index, job.compression));
    const bytes = page instanceof Uint8Array ? page : page.strip;
    port.postMessage({ index, page } satisfies DrawnPage, [bytes.buffer as ArrayBuffer]);
  }
} finally {
  pdf.close();
}
