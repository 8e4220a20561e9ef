// @faxd/client: the faxd SDK, the Windows fax object model over faxd's REST API (FaxServer → FaxPorts → FaxPort →
// FaxStatus; jobs as FaxJob and FaxJobStatus, broadcasts as FaxBroadcast; push events as typed listeners).

export {
  type BroadcastRecipient,
  type CoverPageRequest,
  ELAPSED_TIME_UNIT,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_OPERATIONS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  FAX_PRIORITY_TYPE_ENUM,
  FAX_SCHEDULE_TYPE_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  FaxApiError,
  type FaxAuditEntry,
  type FaxBroadcastCounts,
  type FaxBroadcastRecipient,
  type FaxCaller,
  type FaxErrorCode,
  type FaxInboxMessage,
  type FaxOutboxMessage,
  type FaxPortCall,
  type FaxPortInfo,
  type FaxPreview,
  type FaxPreviewPage,
  type FaxQueueState,
  type FaxRoutingMethod,
  type FaxServerEvent,
  type FaxServerEventName,
  isFinal,
} from '@faxd/contract';
export { FaxIncomingMessage, FaxOutgoingMessage } from './fax-archive-message.js';
export { FaxBroadcast, type SubmittedBroadcast } from './fax-broadcast.js';
export { FaxJob } from './fax-job.js';
export { FaxJobStatus } from './fax-job-status.js';
export { FaxPort } from './fax-port.js';
export { FaxPorts } from './fax-ports.js';
export {
  type ConnectOptions,
  type FaxFileFormat,
  FaxServer,
  type GetJobsOptions,
  type PreviewHeader,
} from './fax-server.js';
export { FaxStatus } from './fax-status.js';
export { FaxConnectionError } from './http-client.js';
export type { BroadcastOptions, FaxDocumentInput, SubmissionOptions, SubmitOptions } from './job-submission.js';
export type {
  FaxServerEventListener,
  FaxServerEventListenerArguments,
  FaxServerEventObserver,
} from './server-events.js';
