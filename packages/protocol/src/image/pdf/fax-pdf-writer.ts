// Fax PDF writer: each page one T.6-coded image XObject shown through CCITTFaxDecode (ISO 32000-1 §7.4.6, §8.9).
import { ByteWriter } from '../../bits/byte-writer.js';

/** One fax page as T.6 (MMR) coded data with its geometry; the data is embedded unchanged. */
export interface FaxPdfPage {
  width: number;
  height: number;
  /** Dots per inch; the PDF page measures width / xResolution inches across. */
  xResolution: number;
  yResolution: number;
  /** T.6 coded rows, most significant bit first, white runs first, as `encodePage(..., {compression: 'mmr'})` makes them. */
  mmrData: Uint8Array;
}

export interface FaxPdfOptions {
  title?: string;
  producer?: string;
  /** A PDF date string, e.g. "D:20261123065000Z" (ISO 32000-1 §7.9.4); supplied by the caller, protocol code has no clock. */
  creationDate?: string;
}

/** Builds a PDF with one page per fax page, each page exactly the size of the scanned area. */
export function writeFaxPdf(pages: readonly FaxPdfPage[], options: FaxPdfOptions = {}): Uint8Array {
  if (pages.length === 0) throw new RangeError('a PDF needs at least one page');
  const out = new ByteWriter();
  const offsets: number[] = [];
  const object = (id: number, body: () => void): void => {
    offsets[id] = out.length;
    out.ascii(`${id} 0 obj\n`);
    body();
    out.ascii('\nendobj\n');
  };
  // Objects: 1 catalog, 2 page tree, 3 info, then page, contents and image for each page.
  const pageId = (index: number): number => 4 + index * 3;
  // The comment of four high bytes tells transfer tools the file is binary (ISO 32000-1 §7.5.2).
  out.ascii('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  object(1, () => out.ascii('<< /Type /Catalog /Pages 2 0 R >>'));
  const kids = pages.map((_, index) => `${pageId(index)} 0 R`).join(' ');
  object(2, () => out.ascii(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`));
  object(3, () => out.ascii(infoDictionary(options)));
  pages.forEach((page, index) => {
    const id = pageId(index);
    const width = formatNumber((page.width / page.xResolution) * 72);
    const height = formatNumber((page.height / page.yResolution) * 72);
    object(id, () =>
      out.ascii(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] ` +
          `/Resources << /XObject << /Im0 ${id + 2} 0 R >> >> /Contents ${id + 1} 0 R >>`,
      ),
    );
    // The image space is the unit square; the matrix stretches it over the whole page.
    const content = `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`;
    object(id + 1, () => out.ascii(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`));
    object(id + 2, () => {
      // BlackIs1 false: the filter emits 0 for black and 1 for white, which is DeviceGray's 0 = black, 1 = white.
      out.ascii(
        `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} ` +
          '/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode ' +
          `/DecodeParms << /K -1 /Columns ${page.width} /Rows ${page.height} /BlackIs1 false >> ` +
          `/Length ${page.mmrData.length} >>\nstream\n`,
      );
      out.bytes(page.mmrData);
      out.ascii('\nendstream');
    });
  });
  const objectCount = pageId(pages.length);
  const xref = out.length;
  out.ascii(`xref\n0 ${objectCount}\n0000000000 65535 f \n`);
  for (let id = 1; id < objectCount; id++) out.ascii(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  out.ascii(`trailer\n<< /Size ${objectCount} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return out.toBytes();
}

function infoDictionary(options: FaxPdfOptions): string {
  const entries: string[] = [];
  if (options.title !== undefined) entries.push(`/Title ${pdfString(options.title)}`);
  if (options.producer !== undefined) entries.push(`/Producer ${pdfString(options.producer)}`);
  if (options.creationDate !== undefined) {
    if (!/^D:\d{4}(\d{2}){0,5}(Z|[+-]\d{2}'\d{2}'?)?$/.test(options.creationDate)) {
      throw new RangeError(
        `creationDate ${JSON.stringify(options.creationDate)} is not a PDF date (D:YYYYMMDDHHmmSSZ)`,
      );
    }
    entries.push(`/CreationDate (${options.creationDate})`);
  }
  return `<< ${entries.join(' ')} >>`;
}

/** A text string: literal when printable ASCII, else UTF-16BE with a byte order mark in hex (ISO 32000-1 §7.9.2.2). */
function pdfString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[()\\]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/**
 * A page dimension in points with four decimals, rounded down: renderers size their raster as ceil(points × dpi / 72),
 * so rounding up by even 0.0001 pt would add a blank, half-sampled row or column at the page's own resolution.
 */
function formatNumber(value: number): string {
  return String(Math.floor(value * 10000 + 1e-6) / 10000);
}
