// PDF to fax pages with PDFium (the PDF engine of Chromium, BSD licence; compiled to WebAssembly and shipped inside
// the @hyzyla/pdfium package, MIT), rendering each page in grey at the fax resolution, then screened to bilevel.
import type { BilevelPage, FaxGeometry } from '@faxd/protocol';
import { createPage } from '@faxd/protocol';
import { PDFiumLibrary } from '@hyzyla/pdfium';
import { screenGreyInto } from './bilevel.js';
import { DocumentError } from './document-error.js';

const POINTS_PER_INCH = 72;

/** Compiling PDFium takes about a tenth of a second: once per process, and only when a PDF comes. */
let library: Promise<PDFiumLibrary> | undefined;

async function openPdf(bytes: Uint8Array) {
  library ??= PDFiumLibrary.init();
  try {
    return await (await library).loadDocument(bytes);
  } catch (error) {
    throw new DocumentError(`not a readable PDF (${(error as Error).message})`);
  }
}

type PdfPage = ReturnType<Awaited<ReturnType<typeof openPdf>>['getPage']>;

/**
 * Draws one PDF page at the fax resolution: its natural size at 204 dpi across and 98/196/391 lpi down, shrunk only
 * when larger than the fax page, centred across and top-aligned (an A4 page, 1686 px wide, sits in the 1728 px line).
 */
async function renderPdfPage(page: PdfPage, geometry: FaxGeometry): Promise<BilevelPage> {
  const { originalWidth, originalHeight } = page.getOriginalSize();
  const xScale = geometry.xResolution / POINTS_PER_INCH;
  const yScale = geometry.yResolution / POINTS_PER_INCH;
  const fit = Math.min(1, geometry.width / (originalWidth * xScale), geometry.height / (originalHeight * yScale));
  const width = Math.max(1, Math.round(originalWidth * xScale * fit));
  const height = Math.max(1, Math.round(originalHeight * yScale * fit));
  const rendered = await page.render({ width, height, colorSpace: 'Gray', render: 'bitmap' });
  const left = Math.floor((geometry.width - rendered.width) / 2);
  return screenGreyInto(createPage(geometry), {
    grey: rendered.data,
    width: rendered.width,
    height: rendered.height,
    left,
  });
}

export async function renderPdf(bytes: Uint8Array, geometry: FaxGeometry): Promise<BilevelPage[]> {
  const pdf = await openPdf(bytes);
  try {
    const count = pdf.getPageCount();
    if (count === 0) throw new DocumentError('the PDF has no pages');
    const pages: BilevelPage[] = [];
    for (let n = 0; n < count; n++) {
      try {
        pages.push(await renderPdfPage(pdf.getPage(n), geometry));
      } catch (error) {
        if (error instanceof DocumentError) throw error;
        throw new DocumentError(`page ${n + 1} of the PDF cannot be drawn (${(error as Error).message})`);
      }
    }
    return pages;
  } finally {
    pdf.destroy();
  }
}
