// The winfax.h constants that scripts written against the Windows 2000 faxcom API use (faxcom.h itself defines none):
// job types, queue states, job commands, and the port states whose English text is FaxStatus.Description.

import type { EnumValue } from './enum-names.js';

/** FaxJob.Type. A different numbering from FAX_JOB_TYPE_ENUM: never convert one into the other by value. */
export const FAX_LEGACY_JOB_TYPE = {
  JT_UNKNOWN: 0,
  JT_SEND: 1,
  JT_RECEIVE: 2,
  JT_ROUTING: 3,
  JT_FAIL_RECEIVE: 4,
} as const;
export type FaxLegacyJobType = EnumValue<typeof FAX_LEGACY_JOB_TYPE>;

/** FAX_JOB_ENTRY.QueueStatus. JS_PENDING is 0 where fjsPENDING is 1: the two schemes do not share values. */
export const FAX_LEGACY_QUEUE_STATUS = {
  JS_PENDING: 0x0,
  JS_INPROGRESS: 0x1,
  JS_DELETING: 0x2,
  JS_FAILED: 0x4,
  JS_PAUSED: 0x8,
  JS_NOLINE: 0x10,
  JS_RETRYING: 0x20,
  JS_RETRIES_EXCEEDED: 0x40,
} as const;
export type FaxLegacyQueueStatus = EnumValue<typeof FAX_LEGACY_QUEUE_STATUS>;

/** The English text FaxJob.QueueStatus shows for each queue state (matched to the JS_* codes by name). */
export const FAX_LEGACY_QUEUE_STATUS_TEXT: Readonly<Record<keyof typeof FAX_LEGACY_QUEUE_STATUS, string>> = {
  JS_PENDING: 'Pending',
  JS_INPROGRESS: 'In Progress',
  JS_DELETING: 'Deleting',
  JS_FAILED: 'Failed',
  JS_PAUSED: 'Paused',
  JS_NOLINE: 'No Line',
  JS_RETRYING: 'Retrying',
  JS_RETRIES_EXCEEDED: 'Retries Exceeded',
};

/** FaxJob.SetStatus commands. The SDK header defines JC_RESTART as JC_RESUME, so both are 3. */
export const FAX_LEGACY_JOB_COMMAND = {
  JC_UNKNOWN: 0,
  JC_DELETE: 1,
  JC_PAUSE: 2,
  JC_RESUME: 3,
  JC_RESTART: 3,
} as const;
export type FaxLegacyJobCommand = EnumValue<typeof FAX_LEGACY_JOB_COMMAND>;

/** Port states (FAX_DEVICE_STATUS.Status); FaxJob.DeviceStatus and FaxStatus.Description show their English text. */
export const FAX_LEGACY_PORT_STATUS = {
  FPS_DIALING: 0x20000001,
  FPS_SENDING: 0x20000002,
  FPS_RECEIVING: 0x20000004,
  FPS_COMPLETED: 0x20000008,
  FPS_HANDLED: 0x20000010,
  FPS_UNAVAILABLE: 0x20000020,
  FPS_BUSY: 0x20000040,
  FPS_NO_ANSWER: 0x20000080,
  FPS_BAD_ADDRESS: 0x20000100,
  FPS_NO_DIAL_TONE: 0x20000200,
  FPS_DISCONNECTED: 0x20000400,
  FPS_FATAL_ERROR: 0x20000800,
  FPS_NOT_FAX_CALL: 0x20001000,
  FPS_CALL_DELAYED: 0x20002000,
  FPS_CALL_BLACKLISTED: 0x20004000,
  FPS_INITIALIZING: 0x20008000,
  FPS_OFFLINE: 0x20010000,
  FPS_RINGING: 0x20020000,
  FPS_AVAILABLE: 0x20100000,
  FPS_ABORTING: 0x20200000,
  FPS_ROUTING: 0x20400000,
  FPS_ANSWERED: 0x20800000,
} as const;
export type FaxLegacyPortStatus = EnumValue<typeof FAX_LEGACY_PORT_STATUS>;

/**
 * The English display text of each port state, which faxd uses as FaxStatus.Description (the Windows service
 * localizes it; faxd speaks English only). FaxJob.DeviceStatus reads "Unknown" while no device is assigned.
 */
export const FAX_LEGACY_PORT_STATUS_TEXT: Readonly<Record<keyof typeof FAX_LEGACY_PORT_STATUS, string>> = {
  FPS_DIALING: 'Dialing',
  FPS_SENDING: 'Sending',
  FPS_RECEIVING: 'Receiving',
  FPS_COMPLETED: 'Completed',
  FPS_HANDLED: 'Handled',
  FPS_UNAVAILABLE: 'Unavailable',
  FPS_BUSY: 'Busy',
  FPS_NO_ANSWER: 'No Answer',
  FPS_BAD_ADDRESS: 'Bad Address',
  FPS_NO_DIAL_TONE: 'No Dial Tone',
  FPS_DISCONNECTED: 'Disconnected',
  FPS_FATAL_ERROR: 'Fatal Error',
  FPS_NOT_FAX_CALL: 'Not a Fax Call',
  FPS_CALL_DELAYED: 'Call Delayed',
  FPS_CALL_BLACKLISTED: 'Call Blacklisted',
  FPS_INITIALIZING: 'Initializing',
  FPS_OFFLINE: 'Offline',
  FPS_RINGING: 'Ringing',
  FPS_AVAILABLE: 'Available',
  FPS_ABORTING: 'Aborting',
  FPS_ROUTING: 'Routing',
  FPS_ANSWERED: 'Answered',
};

/** FaxJob.DeviceStatus while a queued job has no device yet. */
export const FAX_LEGACY_UNKNOWN_DEVICE_STATUS_TEXT = 'Unknown';
