// The helper thread of renderPdf: started while the calling thread is still reading the PDF, it loads PDFium's
// JavaScript, then waits for the go-ahead with the compiled module, opens the same PDF in a PDFium of its own, draws the
// pages it claims from the counter it shares with the calling thread, and posts each page's packed rows back as soon as
// they are ready.
import { parentPort, workerData } from 'node:worker_threads';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { PdfPages } from './pdf-pages.js';
import { type CompiledPdfium, instantiatePdfium, loadPdfiumFactory } from './pdfium-library.js';

export interface PdfRenderJob {
  readonly bytes: Uint8Array;
  readonly geometry: FaxGeometry;
  /** The next page to draw, claimed with Atomics.add by every thread drawing the document. */
  readonly next: Int32Array;
}

/** The go-ahead: PDFium as compiled by the calling thread, whose code this thread shares. */
export interface PdfRenderStart {
  readonly pdfium: CompiledPdfium;
}

export interface DrawnPage {
  readonly index: number;
  readonly rows: Uint8Array<ArrayBuffer>;
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
    const rows = pdf.draw(index);
    port.postMessage({ index, rows } satisfies DrawnPage, [rows.buffer]);
  }
} finally {
  pdf.close();
}
