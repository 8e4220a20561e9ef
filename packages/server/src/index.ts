// @faxd/server: the fax server (startFaxd), and documents to fax pages and back.

export { openUserStore } from './auth/open-user-store.js';
export { UserStoreError, type UserSummary } from './auth/user-store.js';
export { ConfigError, type FaxdConfig, parseFaxdConfig } from './config/faxd-config.js';
export * from './document-conversion.js';
export { LineConflictError } from './service/cluster-node.js';
export { webhookSignature } from './service/webhook-sender.js';
export { type RunningFaxd, startFaxd } from './start-faxd.js';
export { StoreUnavailableError } from './store/database.js';
export * from './t38-terminal.js';
