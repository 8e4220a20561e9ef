// The job state machine of reference §4 (Windows "Fax Job Status"): status, extended status, retries and page of an
// outbound, receiving or routing job, moved only by transitionJob along the table in job-transitions.ts.

import { flagNamesOf, nameOf } from './enum-names.js';
import type { FaxJobBaseStatus, FaxJobExtendedStatusEnum, FaxJobTypeEnum } from './job-enums.js';
import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  JOB_STATUS_MODIFIERS,
} from './job-enums.js';
import {
  findTransition,
  JOB_FAILURE_REASONS,
  JOB_TRANSITIONS,
  type JobEvent,
  type JobTransitionRule,
} from './job-transitions.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

/** The part of a FaxJobStatus the machine owns. `status` is a base state, OR-ed with modifiers on queued jobs. */
export interface JobState {
  readonly jobType: FaxJobTypeEnum;
  readonly status: number;
  readonly extendedStatusCode: FaxJobExtendedStatusEnum;
  /** Attempts made after the first one failed (routing attempts, for a routing job). */
  readonly retries: number;
  /** The page being sent or received, 1-based; 0 before the first page of an attempt. */
  readonly currentPage: number;
}

export type JobTransition =
  | { readonly ok: true; readonly state: JobState }
  | { readonly ok: false; readonly error: string };

/** The states a job ends in. fjsRETRIES_EXCEEDED is final, yet a user may still restart or delete the job. */
export const FINAL_JOB_STATUSES: readonly FaxJobBaseStatus[] = [
  S.fjsCOMPLETED,
  S.fjsFAILED,
  S.fjsCANCELED,
  S.fjsRETRIES_EXCEEDED,
];

/** Whether a job with `status` has ended (modifiers ignored). Every job must reach one of these. */
export function isFinal(status: number): boolean {
  return FINAL_JOB_STATUSES.includes(baseJobStatus(status));
}

/**
 * Whether a job in `status` has left its queue: it has ended in any final state but fjsRETRIES_EXCEEDED. A job whose
 * retries are spent stays queued, restartable and deletable, until a user restarts or deletes it, as Windows keeps it
 * (reference §4.1: RETRIES_EXCEEDED → PENDING on Restart, → CANCELED on delete). Only a job that has left the queue is
 * announced as removed (…JobRemoved) and, if outbound, archived.
 */
export function hasLeftQueue(status: number): boolean {
  return isFinal(status) && baseJobStatus(status) !== S.fjsRETRIES_EXCEEDED;
}

/**
 * A new job: an outbound one is queued (fjsPENDING); an inbound one exists from the moment a line answers, so it starts
 * in fjsINPROGRESS with fjesANSWERED (inbound jobs never show fjsPENDING).
 */
export function initialJobState(
  jobType: typeof FAX_JOB_TYPE_ENUM.fjtSEND | typeof FAX_JOB_TYPE_ENUM.fjtRECEIVE,
): JobState {
  return jobType === FAX_JOB_TYPE_ENUM.fjtSEND
    ? { jobType, status: S.fjsPENDING, extendedStatusCode: X.fjesNONE, retries: 0, currentPage: 0 }
    : { jobType, status: S.fjsINPROGRESS, extendedStatusCode: X.fjesANSWERED, retries: 0, currentPage: 0 };
}

/** Human-readable state for messages: `fjtSEND job in fjsPENDING|fjsPAUSED`. */
export function describeJobState(state: Pick<JobState, 'jobType' | 'status'>): string {
  const names = flagNamesOf(FAX_JOB_STATUS_ENUM, state.status).join('|') || String(state.status);
  return `${nameOf(FAX_JOB_TYPE_ENUM, state.jobType) ?? state.jobType} job in ${names}`;
}

/** Applies `event` to `current`: the next state, or why the event is not allowed there. `current` is not changed. */
export function transitionJob(current: JobState, event: JobEvent): JobTransition {
  const rule = findTransition(current.jobType, baseJobStatus(current.status), event.type);
  if (rule === undefined) return refuse(current, event, 'no such transition');
  const result = applyRule(current, event, rule);
  return typeof result === 'string' ? refuse(current, event, result) : { ok: true, state: result };
}

function refuse(current: JobState, event: JobEvent, why: string): JobTransition {
  return { ok: false, error: `cannot apply ${event.type} to a ${describeJobState(current)}: ${why}` };
}

/** The next state under `rule`, or the guard that failed. */
function applyRule(current: JobState, event: JobEvent, rule: JobTransitionRule): JobState | string {
  const moved: JobState = { ...current, status: rule.to };
  const ext = current.extendedStatusCode;
  switch (event.type) {
    case 'noLine':
      return hasModifier(current, S.fjsNOLINE) ? 'already waiting for a line' : withModifier(current, S.fjsNOLINE);
    case 'paused':
      return hasModifier(current, S.fjsPAUSED) ? 'already paused' : withModifier(current, S.fjsPAUSED);
    case 'resumed':
      return hasModifier(current, S.fjsPAUSED) ? { ...current, status: current.status & ~S.fjsPAUSED } : 'not paused';
    case 'dispatched': {
      if (hasModifier(current, S.fjsPAUSED)) return 'the job is paused';
      const start = current.jobType === FAX_JOB_TYPE_ENUM.fjtSEND ? X.fjesINITIALIZING : X.fjesNONE;
      return { ...moved, extendedStatusCode: start, currentPage: 0 };
    }
    case 'dialing':
      return ext === X.fjesINITIALIZING
        ? { ...moved, extendedStatusCode: X.fjesDIALING }
        : 'dialing follows initializing';
    case 'transmitting':
      return nextPage(current, event.page, [X.fjesINITIALIZING, X.fjesDIALING, X.fjesTRANSMITTING], X.fjesTRANSMITTING);
    case 'receiving':
      return nextPage(current, event.page, [X.fjesANSWERED, X.fjesRECEIVING], X.fjesRECEIVING);
    case 'completed':
      if (current.currentPage < 1) return 'no page was sent';
      return { ...moved, extendedStatusCode: X.fjesCALL_COMPLETED };
    case 'received': {
      if (current.currentPage < 1) return 'no page was received';
      const done = event.partial ? X.fjesPARTIALLY_RECEIVED : X.fjesCALL_COMPLETED;
      return { ...moved, jobType: FAX_JOB_TYPE_ENUM.fjtROUTING, extendedStatusCode: done };
    }
    case 'retryScheduled':
    case 'retriesExceeded':
    case 'failed':
      if (!JOB_FAILURE_REASONS.includes(event.reason)) return `extended status ${event.reason} is not a failure reason`;
      return {
        ...moved,
        extendedStatusCode: event.reason,
        retries: event.type === 'retryScheduled' ? current.retries + 1 : current.retries,
      };
    case 'restarted':
      // A restarted job gets a fresh retry budget: it was restarted because the old one ran out.
      return { ...moved, extendedStatusCode: X.fjesNONE, retries: 0, currentPage: 0 };
    case 'cancelRequested':
      return moved;
    case 'canceled':
      return { ...moved, extendedStatusCode: X.fjesCALL_ABORTED };
    case 'routed':
      return moved;
  }
}

function hasModifier(state: JobState, modifier: number): boolean {
  return (state.status & modifier) !== 0;
}

function withModifier(state: JobState, modifier: number): JobState {
  return { ...state, status: state.status | modifier };
}

/** A page step: the extended status must be one of `after`, pages count up from 1 and never go back in an attempt. */
function nextPage(
  current: JobState,
  page: number,
  after: readonly FaxJobExtendedStatusEnum[],
  ext: FaxJobExtendedStatusEnum,
): JobState | string {
  if (!after.includes(current.extendedStatusCode)) return 'pages follow the call set-up';
  if (!Number.isInteger(page) || page < 1) return `page ${page} is not a page number`;
  if (page < current.currentPage) return `page ${page} comes after page ${current.currentPage}`;
  return { ...current, extendedStatusCode: ext, currentPage: page };
}

/** Whether `state` is one the machine can be in; the problems found otherwise (empty when it is). */
export function jobStateProblems(state: JobState): string[] {
  const problems: string[] = [];
  const base = baseJobStatus(state.status);
  const modifiers = state.status & JOB_STATUS_MODIFIERS;
  const queued = state.jobType === FAX_JOB_TYPE_ENUM.fjtSEND && (base === S.fjsPENDING || base === S.fjsRETRYING);
  if (!isReachableStatus(state.jobType, base))
    problems.push(`${describeJobState(state)} is not a state of the machine`);
  if (modifiers !== 0 && !queued) problems.push('only a queued outbound job carries fjsPAUSED or fjsNOLINE');
  if (nameOf(FAX_JOB_EXTENDED_STATUS_ENUM, state.extendedStatusCode) === undefined) {
    problems.push(`extended status ${state.extendedStatusCode} is not a fjes value`);
  }
  if (!Number.isInteger(state.retries) || state.retries < 0) problems.push(`retries ${state.retries} is not a count`);
  if (!Number.isInteger(state.currentPage) || state.currentPage < 0) {
    problems.push(`currentPage ${state.currentPage} is not a count`);
  }
  return problems;
}

/** Initial states, and every state some transition leads to (`received` turns the job into a routing job). */
function isReachableStatus(jobType: FaxJobTypeEnum, base: FaxJobBaseStatus): boolean {
  const initial = jobType === FAX_JOB_TYPE_ENUM.fjtSEND ? S.fjsPENDING : S.fjsINPROGRESS;
  if (jobType !== FAX_JOB_TYPE_ENUM.fjtROUTING && base === initial) return true;
  return JOB_TRANSITIONS.some(
    (rule) => rule.to === base && (rule.event === 'received' ? FAX_JOB_TYPE_ENUM.fjtROUTING : rule.jobType) === jobType,
  );
}
