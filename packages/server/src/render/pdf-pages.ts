// A PDF opened in PDFium, its pages drawn one at a time in grey at the fax resolution straight into a bitmap of one fax
// page on the WebAssembly heap, and screened to packed bilevel rows from there, without copying the grey pixels out.
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { DocumentError } from './document-error.js';
import { GreyPageScreen, type HeapPage, THRESHOLD_BYTES } from './grey-page-screen.js';
import { PDFIUM_ERRORS, type Pdfium } from './pdfium-library.js';

const POINTS_PER_INCH = 72;
/** FPDFBitmap_Gray: one byte a pixel. */
const GREY_BITMAP = 1;
/** A grey bitmap's white. */
const WHITE = 255;
/**
 * FPDF_ANNOT | FPDF_GRAYSCALE | FPDF_RENDER_NO_SMOOTHTEXT | FPDF_RENDER_NO_SMOOTHPATH: annotations drawn as a viewer
 * shows them, in grey, text and paths without anti-aliasing. A fax has no grey levels for smooth edges anyway, and
 * thresholding them broke rules under a pixel wide into dashes; drawn sharp, such rules stay solid lines, as on
 * Ghostscript's fax devices. It also draws about a sixth faster. Images are still smoothed when scaled.
 */
const RENDER_FLAGS = 0x01 | 0x08 | 0x1000 | 0x4000;

function allocate(pdfium: Pdfium, size: number): number {
  const pointer = pdfium.wasmExports.malloc(size);
  if (!pointer) throw new RangeError(`PDFium cannot allocate ${size} bytes`);
  return pointer;
}

/**
 * The bitmap of one fax page that every page of a document is drawn into: its handle, and on the heap its pixels and
 * the packed rows they are screened into.
 */
interface PageBitmap {
  readonly handle: number;
  readonly page: HeapPage;
}

/**
 * Draws page `index` into the bitmap at the fax resolution: its natural size at 204 dpi across and 98/196/391 lpi
 * down, shrunk only when larger than the fax page, centred across and top-aligned (an A4 page, 1686 px wide, sits
 * in the 1728 px line).
 */
function drawPage(pdfium: Pdfium, document: number, bitmap: PageBitmap, index: number, geometry: FaxGeometry): void {
  const page = pdfium._FPDF_LoadPage(document, index);
  if (!page) throw new DocumentError('unreadable', `page ${index + 1} of the PDF cannot be read`);
  try {
    const xScale = geometry.xResolution / POINTS_PER_INCH;
    const yScale = geometry.yResolution / POINTS_PER_INCH;
    const originalWidth = pdfium._FPDF_GetPageWidth(page);
    const originalHeight = pdfium._FPDF_GetPageHeight(page);
    const fit = Math.min(1, geometry.width / (originalWidth * xScale), geometry.height / (originalHeight * yScale));
    const width = Math.max(1, Math.round(originalWidth * xScale * fit));
    const height = Math.max(1, Math.round(originalHeight * yScale * fit));
    const left = Math.floor((geometry.width - width) / 2);
    // Blanked by a native fill rather than FPDFBitmap_FillRect, a loop in WebAssembly that costs twice as much before
    // it is optimised. The heap is read only now: loading the page may have grown it, which replaces the view.
    pdfium.HEAPU8.fill(WHITE, bitmap.page.grey, bitmap.page.grey + geometry.width * geometry.height);
    pdfium._FPDF_RenderPageBitmap(bitmap.handle, page, left, 0, width, height, 0, RENDER_FLAGS);
  } finally {
    pdfium._FPDF_ClosePage(page);
  }
}

/** A document loaded in PDFium from its copy on PDFium's heap, which PDFium reads in place until it is closed. */
export class PdfPages {
  readonly count: number;
  readonly #pdfium: Pdfium;
  readonly #data: number;
  readonly #document: number;
  readonly #geometry: FaxGeometry;
  readonly #bitmap: PageBitmap;
  readonly #screen: GreyPageScreen;
  /** The heap this document took for its bitmap and screening, given back on close. */
  readonly #allocated: readonly number[];

  private constructor(pdfium: Pdfium, data: number, document: number, count: number, geometry: FaxGeometry) {
    this.count = count;
    this.#pdfium = pdfium;
    this.#data = data;
    this.#document = document;
    this.#geometry = geometry;
    const { width, height } = geometry;
    // Sixteen bytes to spare after the pixels: the screening reads one past them.
    const grey = allocate(pdfium, width * height + 16);
    const rows = allocate(pdfium, (width >> 3) * height);
    const thresholds = allocate(pdfium, THRESHOLD_BYTES);
    const handle = pdfium._FPDFBitmap_CreateEx(width, height, GREY_BITMAP, grey, width);
    this.#bitmap = { handle, page: { grey, rows, width, height } };
    this.#allocated = [grey, rows, thresholds];
    this.#screen = new GreyPageScreen(pdfium.wasmExports.memory, thresholds);
  }

  /** Opens the PDF in `pdfium`, to be drawn at `geometry`; an unreadable PDF or one without pages is a DocumentError. */
  static open(pdfium: Pdfium, bytes: Uint8Array, geometry: FaxGeometry): PdfPages {
    const data = allocate(pdfium, bytes.length);
    pdfium.HEAPU8.set(bytes, data);
    const document = pdfium._FPDF_LoadMemDocument(data, bytes.length, 0);
    const count = document ? pdfium._FPDF_GetPageCount(document) : 0;
    if (count > 0) return new PdfPages(pdfium, data, document, count, geometry);
    const reason = document
      ? 'the PDF has no pages'
      : `not a readable PDF (${PDFIUM_ERRORS[pdfium._FPDF_GetLastError()] ?? 'unknown error'})`;
    if (document) pdfium._FPDF_CloseDocument(document);
    pdfium.wasmExports.free(data);
    throw new DocumentError('unreadable', reason);
  }

  /** Page `index` (from 0) as packed rows of the fax geometry; a page PDFium cannot draw throws a DocumentError. */
  draw(index: number): Uint8Array<ArrayBuffer> {
    const pdfium = this.#pdfium;
    const geometry = this.#geometry;
    try {
      drawPage(pdfium, this.#document, this.#bitmap, index, geometry);
    } catch (error) {
      if (error instanceof DocumentError) throw error;
      throw new DocumentError(
        'unreadable',
        `page ${index + 1} of the PDF cannot be drawn (${(error as Error).message})`,
      );
    }
    return this.#screen.screen(this.#bitmap.page);
  }

  close(): void {
    this.#pdfium._FPDFBitmap_Destroy(this.#bitmap.handle);
    for (const pointer of this.#allocated) this.#pdfium.wasmExports.free(pointer);
    this.#pdfium._FPDF_CloseDocument(this.#document);
    this.#pdfium.wasmExports.free(this.#data);
  }
}
