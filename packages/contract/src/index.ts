// @faxd/contract: the faxd API's types and constants, shared by server, SDK, CLI and console (no Node.js APIs).

export * from './access-rights.js';
export * from './api-resources.js';
export * from './broadcast.js';
export * from './calendar-date-time.js';
export * from './enum-names.js';
export * from './errors.js';
export * from './events.js';
export * from './fax-job-status.js';
export * from './fax-preview.js';
export * from './fax-status.js';
export * from './job-enums.js';
export * from './job-operations.js';
export * from './job-state.js';
export * from './job-status-text.js';
export * from './job-transitions.js';
export * from './json-shape.js';
export * from './legacy-constants.js';
export * from './server-enums.js';
