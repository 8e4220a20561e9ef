// @faxd/server: the fax server, and documents to fax pages and back.

export { ConfigError, type FaxdConfig, parseFaxdConfig } from './config/faxd-config.js';
export { encodeFaxPdf, encodeFaxTiff } from './documents/fax-files.js';
export { type LoadOptions, loadDocumentPages } from './documents/load-pages.js';
export { type CallCompression, runT38Call, type T38CallOptions, type T38CallResult } from './lines/t38-call.js';
export { parseUdpEndpoint, type UdpEndpoint } from './lines/udptl-socket.js';
export { DocumentError } from './render/document-error.js';
export { encodePng } from './render/png-output.js';
export { type RenderOptions, renderDocument } from './render/render-document.js';
export { webhookSignature } from './service/webhook-sender.js';
export { type RunningFaxd, startFaxd } from './start-faxd.js';
