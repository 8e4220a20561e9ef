// @faxd/server/document-conversion: documents to fax pages and fax files, without the server (for `fax convert`,
// which should not pay for loading the HTTP server and the store). For the same reason the modules behind it import
// @faxd/protocol's image and bits modules by their own subpaths, not its index with the SIP and T.30 stacks.

export { encodeFaxPdf, encodeFaxTiff } from './documents/fax-files.js';
export {
  type CodedPageSink,
  forEachCodedPage,
  forEachDocumentPage,
  type LoadOptions,
  loadDocumentPages,
} from './documents/load-pages.js';
export { DocumentError } from './render/document-error.js';
export { DEFAULT_DOCUMENT_LIMITS, DocumentBudget, type DocumentLimits } from './render/document-limits.js';
export { encodePng } from './render/png-output.js';
export { type PageSink, type RenderOptions, renderDocument } from './render/render-document.js';
