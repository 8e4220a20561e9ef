// The job enumerations of the Fax Service Extended COM API (faxcomex.h: FAX_JOB_STATUS_ENUM, FAX_JOB_EXTENDED_STATUS_ENUM,
// FAX_JOB_OPERATIONS_ENUM, FAX_JOB_TYPE_ENUM) with their COM numeric values, which the JSON API carries unchanged.

import type { EnumValue } from './enum-names.js';

/**
 * Queue state of a job, one bit per state. fjsPAUSED and fjsNOLINE are modifiers OR-ed onto a base state, so a JSON
 * `status` of 17 is fjsPENDING | fjsPAUSED. Bit 0x4 is unused (it lines up with an internal "deleting" state that is
 * never shown to clients).
 */
export const FAX_JOB_STATUS_ENUM = {
  fjsPENDING: 0x1,
  fjsINPROGRESS: 0x2,
  fjsFAILED: 0x8,
  fjsPAUSED: 0x10,
  fjsNOLINE: 0x20,
  fjsRETRYING: 0x40,
  fjsRETRIES_EXCEEDED: 0x80,
  fjsCOMPLETED: 0x100,
  fjsCANCELED: 0x200,
  fjsCANCELING: 0x400,
  fjsROUTING: 0x800,
} as const;
export type FaxJobStatusEnum = EnumValue<typeof FAX_JOB_STATUS_ENUM>;

/** The two modifier bits a base status may carry. */
export const JOB_STATUS_MODIFIERS = FAX_JOB_STATUS_ENUM.fjsPAUSED | FAX_JOB_STATUS_ENUM.fjsNOLINE;

/** A base status: any FAX_JOB_STATUS_ENUM member except the two modifiers. */
export type FaxJobBaseStatus = Exclude<
  FaxJobStatusEnum,
  typeof FAX_JOB_STATUS_ENUM.fjsPAUSED | typeof FAX_JOB_STATUS_ENUM.fjsNOLINE
>;

const BASE_STATUSES: readonly number[] = Object.values(FAX_JOB_STATUS_ENUM).filter(
  (bit) => (bit & JOB_STATUS_MODIFIERS) === 0,
);

/** The base state of a status word, with the PAUSED and NOLINE modifiers masked out. */
export function baseJobStatus(status: number): FaxJobBaseStatus {
  return (status & ~JOB_STATUS_MODIFIERS) as FaxJobBaseStatus;
}

/** Whether `value` is a well-formed status word: exactly one base state, plus any modifiers. */
export function isJobStatusValue(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && BASE_STATUSES.includes(baseJobStatus(value));
}

/**
 * Provider-level detail of a job's status. Apart from fjesPARTIALLY_RECEIVED these come from the line (in Windows, the
 * fax service provider) and the queue does not act on them. fjesPROPRIETARY is the obsolete base of private codes.
 */
export const FAX_JOB_EXTENDED_STATUS_ENUM = {
  fjesNONE: 0,
  fjesDISCONNECTED: 1,
  fjesINITIALIZING: 2,
  fjesDIALING: 3,
  fjesTRANSMITTING: 4,
  fjesANSWERED: 5,
  fjesRECEIVING: 6,
  fjesLINE_UNAVAILABLE: 7,
  fjesBUSY: 8,
  fjesNO_ANSWER: 9,
  fjesBAD_ADDRESS: 10,
  fjesNO_DIAL_TONE: 11,
  fjesFATAL_ERROR: 12,
  fjesCALL_DELAYED: 13,
  fjesCALL_BLACKLISTED: 14,
  fjesNOT_FAX_CALL: 15,
  fjesPARTIALLY_RECEIVED: 16,
  fjesHANDLED: 17,
  fjesCALL_COMPLETED: 18,
  fjesCALL_ABORTED: 19,
  fjesPROPRIETARY: 0x1000000,
} as const;
export type FaxJobExtendedStatusEnum = EnumValue<typeof FAX_JOB_EXTENDED_STATUS_ENUM>;

/** Bit-mask of the operations a client may apply to a job in its current state. */
export const FAX_JOB_OPERATIONS_ENUM = {
  fjoVIEW: 0x1,
  fjoPAUSE: 0x2,
  fjoRESUME: 0x4,
  fjoRESTART: 0x8,
  fjoDELETE: 0x10,
  fjoRECIPIENT_INFO: 0x20,
  fjoSENDER_INFO: 0x40,
} as const;
export type FaxJobOperationsEnum = EnumValue<typeof FAX_JOB_OPERATIONS_ENUM>;

/** Direction of a job. An inbound job is fjtRECEIVE while the line receives and fjtROUTING once the fax is stored. */
export const FAX_JOB_TYPE_ENUM = {
  fjtSEND: 0,
  fjtRECEIVE: 1,
  fjtROUTING: 2,
} as const;
export type FaxJobTypeEnum = EnumValue<typeof FAX_JOB_TYPE_ENUM>;
