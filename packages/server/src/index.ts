// @faxd/server: the fax server (startFaxd), and documents to fax pages and back.

export { type FaxdConfig, parseFaxdConfig } from './config/faxd-config.js';
export * from './document-conversion.js';
export { LineConflictError } from './service/cluster-node.js';
export { webhookSignature } from './service/webhook-sender.js';
export { type RunningFaxd, startFaxd } from './start-faxd.js';
export * from './t38-terminal.js';
export * from './user-admin.js';
