// PDF to fax pages with pdfjs-dist drawing into a @napi-rs/canvas (Skia) canvas at the fax resolution, then thresholded.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BilevelPage, FaxGeometry } from '@faxd/protocol';
import { type Canvas, createCanvas } from '@napi-rs/canvas';
import { screenRgba } from './bilevel.js';
import { DocumentError } from './document-error.js';

const POINTS_PER_INCH = 72;

/** Where pdfjs keeps the 14 standard fonts and CMaps; PDFs that do not embed their fonts need them. */
function pdfjsDataUrls() {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return { standardFontDataUrl: `${join(root, 'standard_fonts')}/`, cMapUrl: `${join(root, 'cmaps')}/` };
}

async function openPdf(bytes: Uint8Array) {
  // Loaded on demand: pdfjs takes a tenth of a second to load, which TIFF-only runs need not pay.
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    // A copy, as a plain Uint8Array: pdfjs refuses Buffers and takes ownership of what it is given.
    data: new Uint8Array(bytes),
    ...pdfjsDataUrls(),
    cMapPacked: true,
    isEvalSupported: false,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (error) {
    throw new DocumentError(`not a readable PDF (${(error as Error).message})`);
  }
}

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof openPdf>>['getPage']>>;

/**
 * Draws one PDF page at the fax resolution: its natural size at 204 dpi across and 98/196/391 lpi down, shrunk only
 * when larger than the fax page, centred across and top-aligned (an A4 page, 1686 px wide, sits in the 1728 px line).
 */
async function renderPdfPage(page: PdfPage, geometry: FaxGeometry, canvas: Canvas): Promise<BilevelPage> {
  const viewport = page.getViewport({ scale: 1 });
  const xScale = geometry.xResolution / POINTS_PER_INCH;
  const yScale = geometry.yResolution / POINTS_PER_INCH;
  const fit = Math.min(1, geometry.width / (viewport.width * xScale), geometry.height / (viewport.height * yScale));
  const left = (geometry.width - viewport.width * xScale * fit) / 2;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, geometry.width, geometry.height);
  const transform = [xScale * fit, 0, 0, yScale * fit, left, 0];
  // biome-ignore lint/suspicious/noExplicitAny: pdfjs types its canvas as the DOM's; @napi-rs/canvas implements the same API.
  await page.render({ canvasContext: ctx as any, canvas: canvas as any, viewport, transform }).promise;
  // canvas.data() is the pixel memory itself (RGBA, premultiplied, which for the opaque page is plain RGBA):
  // no copy, where getImageData would copy and un-premultiply 16 MB a page.
  return screenRgba(canvas.data(), geometry);
}

export async function renderPdf(bytes: Uint8Array, geometry: FaxGeometry): Promise<BilevelPage[]> {
  const pdf = await openPdf(bytes);
  try {
    if (pdf.numPages === 0) throw new DocumentError('the PDF has no pages');
    const canvas = createCanvas(geometry.width, geometry.height);
    const pages: BilevelPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      try {
        pages.push(await renderPdfPage(await pdf.getPage(n), geometry, canvas));
      } catch (error) {
        if (error instanceof DocumentError) throw error;
        throw new DocumentError(`page ${n} of the PDF cannot be drawn (${(error as Error).message})`);
      }
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}
