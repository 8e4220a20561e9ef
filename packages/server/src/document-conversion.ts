// @faxd/server/document-conversion: documents to fax pages and fax files, without the server (for `fax convert`,
// which should not pay for loading the HTTP server and the store). For the same reason the modules behind it import
// @faxd/protocol's image and bits modules by their own subpaths, not its index with the SIP and T.30 stacks, and the
// renderers are loaded only when a document needs drawing.

import type { BilevelPage } from '@faxd/protocol/image/page';
import type { RenderOptions } from './render/render-document.js';

export { encodeFaxPdf, encodeFaxTiff, faxTiffWriter } from './documents/fax-files.js';
export { type FileSource, openFileSource } from './documents/file-source.js';
export {
  type CodedPageSink,
  forEachCodedPage,
  forEachDocumentPage,
  isTiff,
  type LoadOptions,
  loadDocumentPages,
} from './documents/load-pages.js';
export { DocumentError } from './render/document-error.js';
export { DEFAULT_DOCUMENT_LIMITS, DocumentBudget, type DocumentLimits } from './render/document-limits.js';
export type { PageSink, RenderOptions } from './render/render-document.js';

/** PNG of one page (render/png-output), loaded on first use: converting to TIFF or PDF never needs zlib's deflate. */
export async function encodePng(page: BilevelPage): Promise<Uint8Array> {
  return (await import('./render/png-output.js')).encodePng(page);
}

/** The document's pages (render/render-document), loaded on first use: the renderers are large and TIFF needs none. */
export async function renderDocument(bytes: Uint8Array, options: RenderOptions): Promise<BilevelPage[]> {
  return (await import('./render/render-document.js')).renderDocument(bytes, options);
}
