// The job state diagrams of the Windows "Fax Job Status" page (outbound, receiving and routing jobs) as a table of
// status transitions, plus the edges faxd adds so that every job can reach a final state (reference §4.1, §4.2).

import type { FaxJobBaseStatus, FaxJobExtendedStatusEnum, FaxJobTypeEnum } from './job-enums.js';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, FAX_JOB_TYPE_ENUM } from './job-enums.js';

const S = FAX_JOB_STATUS_ENUM;
const T = FAX_JOB_TYPE_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

/**
 * Why an attempt, a reception or a routing failed, stored as the job's extended status. fjesNONE stands for a
 * failure with no line-level cause: the age limit expired, or storing and routing a received fax failed.
 */
export type JobFailureReason =
  | typeof X.fjesNONE
  | typeof X.fjesDISCONNECTED
  | typeof X.fjesLINE_UNAVAILABLE
  | typeof X.fjesBUSY
  | typeof X.fjesNO_ANSWER
  | typeof X.fjesBAD_ADDRESS
  | typeof X.fjesNO_DIAL_TONE
  | typeof X.fjesFATAL_ERROR
  | typeof X.fjesCALL_DELAYED
  | typeof X.fjesCALL_BLACKLISTED
  | typeof X.fjesNOT_FAX_CALL
  | typeof X.fjesCALL_ABORTED;

export const JOB_FAILURE_REASONS: readonly FaxJobExtendedStatusEnum[] = [
  X.fjesNONE,
  X.fjesDISCONNECTED,
  X.fjesLINE_UNAVAILABLE,
  X.fjesBUSY,
  X.fjesNO_ANSWER,
  X.fjesBAD_ADDRESS,
  X.fjesNO_DIAL_TONE,
  X.fjesFATAL_ERROR,
  X.fjesCALL_DELAYED,
  X.fjesCALL_BLACKLISTED,
  X.fjesNOT_FAX_CALL,
  X.fjesCALL_ABORTED,
] satisfies readonly JobFailureReason[];

/**
 * What the service reports about a job. Outbound: `noLine` (no free line), `dispatched` (a line took it, or a retry
 * or routing attempt starts), `dialing`, `transmitting` page n, `completed`, `retryScheduled` and `retriesExceeded`
 * (the retry policy's verdict on a failed attempt), `canceled` (the call was abandoned). Inbound: `receiving` page n,
 * `received` (all pages in, or the call ended after some), `failed` (nothing usable arrived), `routed` (stored and
 * delivered). A user's operations: `paused`, `resumed`, `restarted`, `cancelRequested`.
 */
export type JobEvent =
  | { readonly type: 'noLine' }
  | { readonly type: 'dispatched' }
  | { readonly type: 'dialing' }
  | { readonly type: 'transmitting'; readonly page: number }
  | { readonly type: 'completed' }
  | { readonly type: 'retryScheduled'; readonly reason: JobFailureReason }
  | { readonly type: 'retriesExceeded'; readonly reason: JobFailureReason }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed' }
  | { readonly type: 'restarted' }
  | { readonly type: 'cancelRequested' }
  | { readonly type: 'canceled' }
  | { readonly type: 'receiving'; readonly page: number }
  | { readonly type: 'received'; readonly partial: boolean }
  | { readonly type: 'failed'; readonly reason: JobFailureReason }
  | { readonly type: 'routed' };

export type JobEventType = JobEvent['type'];

/**
 * Where a transition comes from: `diagram`, an edge of the Windows state diagrams; `modifier`, setting or clearing
 * fjsPAUSED or fjsNOLINE, which that page allows on Pending and Retrying jobs; `sequence`, an extended-status step
 * inside fjsINPROGRESS (reference §4.3); `faxd`, an edge faxd adds (each says why).
 */
export type JobTransitionSource = 'diagram' | 'modifier' | 'sequence' | 'faxd';

export interface JobTransitionRule {
  /** The job type before the transition. Only `received` changes it, from fjtRECEIVE to fjtROUTING. */
  readonly jobType: FaxJobTypeEnum;
  readonly from: FaxJobBaseStatus;
  readonly event: JobEventType;
  readonly to: FaxJobBaseStatus;
  readonly source: JobTransitionSource;
  /** For `faxd` edges: why the edge exists. */
  readonly why?: string;
}

function edge(
  jobType: FaxJobTypeEnum,
  from: FaxJobBaseStatus,
  event: JobEventType,
  to: FaxJobBaseStatus,
  source: JobTransitionSource,
  why?: string,
): JobTransitionRule {
  return why === undefined ? { jobType, from, event, to, source } : { jobType, from, event, to, source, why };
}

const DELETE_AS_CANCEL = 'Windows deletes the job; faxd ends it in fjsCANCELED so its last status says so';
const ROUTED_AS_COMPLETED = 'Windows removes a routed job; faxd ends it in fjsCOMPLETED so its last status says so';

/** Every transition the machine accepts. A (jobType, from, event) triple appears at most once. */
export const JOB_TRANSITIONS: readonly JobTransitionRule[] = [
  edge(T.fjtSEND, S.fjsPENDING, 'dispatched', S.fjsINPROGRESS, 'diagram'),
  edge(T.fjtSEND, S.fjsPENDING, 'cancelRequested', S.fjsCANCELED, 'diagram'),
  edge(T.fjtSEND, S.fjsPENDING, 'retriesExceeded', S.fjsRETRIES_EXCEEDED, 'diagram'),
  edge(T.fjtSEND, S.fjsPENDING, 'noLine', S.fjsPENDING, 'modifier'),
  edge(T.fjtSEND, S.fjsPENDING, 'paused', S.fjsPENDING, 'modifier'),
  edge(T.fjtSEND, S.fjsPENDING, 'resumed', S.fjsPENDING, 'modifier'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'dialing', S.fjsINPROGRESS, 'sequence'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'transmitting', S.fjsINPROGRESS, 'sequence'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'completed', S.fjsCOMPLETED, 'diagram'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'retryScheduled', S.fjsRETRYING, 'diagram'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'retriesExceeded', S.fjsRETRIES_EXCEEDED, 'diagram'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'cancelRequested', S.fjsCANCELING, 'diagram'),
  edge(T.fjtSEND, S.fjsINPROGRESS, 'canceled', S.fjsCANCELED, 'diagram'),
  edge(T.fjtSEND, S.fjsCANCELING, 'canceled', S.fjsCANCELED, 'diagram'),
  edge(T.fjtSEND, S.fjsCANCELING, 'completed', S.fjsCOMPLETED, 'diagram'),
  edge(T.fjtSEND, S.fjsRETRYING, 'dispatched', S.fjsINPROGRESS, 'diagram'),
  edge(T.fjtSEND, S.fjsRETRYING, 'noLine', S.fjsRETRYING, 'modifier'),
  edge(T.fjtSEND, S.fjsRETRYING, 'paused', S.fjsRETRYING, 'modifier'),
  edge(T.fjtSEND, S.fjsRETRYING, 'resumed', S.fjsRETRYING, 'modifier'),
  edge(T.fjtSEND, S.fjsRETRYING, 'cancelRequested', S.fjsCANCELED, 'faxd', 'a retrying job offers fjoDELETE (§4.4)'),
  edge(
    T.fjtSEND,
    S.fjsRETRYING,
    'retriesExceeded',
    S.fjsRETRIES_EXCEEDED,
    'faxd',
    'the age limit passes between tries',
  ),
  edge(T.fjtSEND, S.fjsRETRIES_EXCEEDED, 'restarted', S.fjsPENDING, 'diagram'),
  edge(T.fjtSEND, S.fjsRETRIES_EXCEEDED, 'cancelRequested', S.fjsCANCELED, 'diagram'),

  edge(T.fjtRECEIVE, S.fjsINPROGRESS, 'receiving', S.fjsINPROGRESS, 'sequence'),
  edge(T.fjtRECEIVE, S.fjsINPROGRESS, 'failed', S.fjsFAILED, 'diagram'),
  edge(T.fjtRECEIVE, S.fjsINPROGRESS, 'cancelRequested', S.fjsCANCELING, 'diagram'),
  edge(T.fjtRECEIVE, S.fjsINPROGRESS, 'received', S.fjsROUTING, 'diagram'),
  edge(T.fjtRECEIVE, S.fjsCANCELING, 'canceled', S.fjsCANCELED, 'diagram'),
  edge(T.fjtRECEIVE, S.fjsCANCELING, 'received', S.fjsROUTING, 'diagram'),

  edge(T.fjtROUTING, S.fjsROUTING, 'routed', S.fjsCOMPLETED, 'faxd', ROUTED_AS_COMPLETED),
  edge(T.fjtROUTING, S.fjsROUTING, 'retryScheduled', S.fjsRETRYING, 'diagram'),
  edge(T.fjtROUTING, S.fjsROUTING, 'retriesExceeded', S.fjsRETRIES_EXCEEDED, 'diagram'),
  edge(T.fjtROUTING, S.fjsRETRYING, 'dispatched', S.fjsINPROGRESS, 'diagram'),
  edge(T.fjtROUTING, S.fjsRETRYING, 'retriesExceeded', S.fjsRETRIES_EXCEEDED, 'diagram'),
  edge(T.fjtROUTING, S.fjsRETRYING, 'cancelRequested', S.fjsCANCELED, 'faxd', DELETE_AS_CANCEL),
  edge(T.fjtROUTING, S.fjsINPROGRESS, 'routed', S.fjsCOMPLETED, 'faxd', ROUTED_AS_COMPLETED),
  edge(T.fjtROUTING, S.fjsINPROGRESS, 'retryScheduled', S.fjsRETRYING, 'diagram'),
  edge(T.fjtROUTING, S.fjsINPROGRESS, 'retriesExceeded', S.fjsRETRIES_EXCEEDED, 'diagram'),
  edge(T.fjtROUTING, S.fjsRETRIES_EXCEEDED, 'cancelRequested', S.fjsCANCELED, 'faxd', DELETE_AS_CANCEL),
];

/** The rule for `event` on a job of `jobType` in base state `from`, if the machine has one. */
export function findTransition(
  jobType: FaxJobTypeEnum,
  from: FaxJobBaseStatus,
  event: JobEventType,
): JobTransitionRule | undefined {
  return JOB_TRANSITIONS.find((rule) => rule.jobType === jobType && rule.from === from && rule.event === event);
}
