// The server, submission and device enumerations of the Fax Service Extended COM API (faxcomex.h) with their COM
// numeric values: event subscription mask, priority, schedule, receipt, cover page and device receive mode.

import type { EnumValue } from './enum-names.js';

/**
 * Bit-mask given to ListenToServerEvents (and reported as RegisteredEvents). fsetNONE unsubscribes from everything;
 * a new connection starts with nothing subscribed.
 */
export const FAX_SERVER_EVENTS_TYPE_ENUM = {
  fsetNONE: 0x0,
  fsetIN_QUEUE: 0x1,
  fsetOUT_QUEUE: 0x2,
  fsetCONFIG: 0x4,
  fsetACTIVITY: 0x8,
  fsetQUEUE_STATE: 0x10,
  fsetIN_ARCHIVE: 0x20,
  fsetOUT_ARCHIVE: 0x40,
  fsetFXSSVC_ENDED: 0x80,
  fsetDEVICE_STATUS: 0x100,
  fsetINCOMING_CALL: 0x200,
} as const;
export type FaxServerEventsTypeEnum = EnumValue<typeof FAX_SERVER_EVENTS_TYPE_ENUM>;

/** Outbound priority. The COM default for a new document is fptLOW. */
export const FAX_PRIORITY_TYPE_ENUM = {
  fptLOW: 0,
  fptNORMAL: 1,
  fptHIGH: 2,
} as const;
export type FaxPriorityTypeEnum = EnumValue<typeof FAX_PRIORITY_TYPE_ENUM>;

/** The CLI's `--priority low|normal|high` words and the priorities they stand for. */
export const FAX_PRIORITY_BY_NAME = {
  low: FAX_PRIORITY_TYPE_ENUM.fptLOW,
  normal: FAX_PRIORITY_TYPE_ENUM.fptNORMAL,
  high: FAX_PRIORITY_TYPE_ENUM.fptHIGH,
} as const;
export type FaxPriorityName = keyof typeof FAX_PRIORITY_BY_NAME;

/** The `--priority` word for a priority value. */
export function priorityName(priority: FaxPriorityTypeEnum): FaxPriorityName {
  if (priority === FAX_PRIORITY_TYPE_ENUM.fptHIGH) return 'high';
  return priority === FAX_PRIORITY_TYPE_ENUM.fptNORMAL ? 'normal' : 'low';
}

/**
 * When a submitted job becomes eligible: as soon as a line is free, at its scheduled time, or inside the server's
 * discount-rate window.
 */
export const FAX_SCHEDULE_TYPE_ENUM = {
  fstNOW: 0,
  fstSPECIFIC_TIME: 1,
  fstDISCOUNT_PERIOD: 2,
} as const;
export type FaxScheduleTypeEnum = EnumValue<typeof FAX_SCHEDULE_TYPE_ENUM>;

/** Delivery receipt kinds (bit values; 0x2 is unused). frtMSGBOX is kept for completeness only. */
export const FAX_RECEIPT_TYPE_ENUM = {
  frtNONE: 0x0,
  frtMAIL: 0x1,
  frtMSGBOX: 0x4,
} as const;
export type FaxReceiptTypeEnum = EnumValue<typeof FAX_RECEIPT_TYPE_ENUM>;

/** Where a submission's cover page comes from: none, a file the client supplies, or one stored on the server. */
export const FAX_COVERPAGE_TYPE_ENUM = {
  fcptNONE: 0,
  fcptLOCAL: 1,
  fcptSERVER: 2,
} as const;
export type FaxCoverPageTypeEnum = EnumValue<typeof FAX_COVERPAGE_TYPE_ENUM>;

/**
 * How a device answers: never, automatically after its ring count, or only when told to (AnswerCall). At most one
 * device may be in manual mode; putting another one in manual drops the previous one to no-answer.
 */
export const FAX_DEVICE_RECEIVE_MODE_ENUM = {
  fdrmNO_ANSWER: 0,
  fdrmAUTO_ANSWER: 1,
  fdrmMANUAL_ANSWER: 2,
} as const;
export type FaxDeviceReceiveModeEnum = EnumValue<typeof FAX_DEVICE_RECEIVE_MODE_ENUM>;
