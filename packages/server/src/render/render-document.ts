// A document's bytes to fax pages: the format is told by its first bytes, not its file name.
import { type FaxResolution, faxGeometry, type PaperSize } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { DocumentError } from './document-error.js';
import { renderPdf } from './pdf-document.js';
import { renderRasterImage } from './raster-image.js';
import { renderText } from './text-document.js';

export interface RenderOptions {
  paper: PaperSize;
  resolution: FaxResolution;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** UTF-8 text without NULs, or undefined. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

export async function renderDocument(bytes: Uint8Array, options: RenderOptions): Promise<BilevelPage[]> {
  const geometry = faxGeometry(options.paper, options.resolution);
  if (bytes.length === 0) throw new DocumentError('empty', 'the file is empty');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return renderPdf(bytes, geometry);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return [await renderRasterImage(bytes, geometry, 'PNG')];
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return [await renderRasterImage(bytes, geometry, 'JPEG')];
  const text = asText(bytes);
  if (text === undefined)
    throw new DocumentError('unknown-format', 'unknown document format: not PDF, TIFF, PNG, JPEG or UTF-8 text');
  return renderText(text, geometry);
}
