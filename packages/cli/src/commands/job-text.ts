// Job states in words for the human output of `fax send --wait`, `fax jobs`, `fax job`, `fax broadcast` and `fax watch`,
// derived from the COM enumeration names (fjsRETRIES_EXCEEDED → "retries exceeded").

import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  type FaxBroadcastCounts,
  flagNamesOf,
  JOB_STATUS_MODIFIERS,
  nameOf,
} from '@faxd/contract';

/** `fjesNO_ANSWER` → `no answer`. */
function words(name: string, prefix: string): string {
  return name.slice(prefix.length).toLowerCase().replaceAll('_', ' ');
}

/** The words for each FAX_JOB_STATUS_ENUM bit (the enum runs INPROGRESS together). */
const STATUS_WORDS: Readonly<Record<keyof typeof FAX_JOB_STATUS_ENUM, string>> = {
  fjsPENDING: 'pending',
  fjsINPROGRESS: 'in progress',
  fjsFAILED: 'failed',
  fjsPAUSED: 'paused',
  fjsNOLINE: 'no line',
  fjsRETRYING: 'retrying',
  fjsRETRIES_EXCEEDED: 'retries exceeded',
  fjsCOMPLETED: 'completed',
  fjsCANCELED: 'canceled',
  fjsCANCELING: 'canceling',
  fjsROUTING: 'routing',
};

/** A status word in words: the base state, then any modifiers (`pending, paused`). */
export function statusText(status: number): string {
  const base = nameOf(FAX_JOB_STATUS_ENUM, baseJobStatus(status));
  const parts = [base === undefined ? `status ${status}` : STATUS_WORDS[base]];
  for (const modifier of flagNamesOf(FAX_JOB_STATUS_ENUM, status & JOB_STATUS_MODIFIERS)) {
    parts.push(STATUS_WORDS[modifier]);
  }
  return parts.join(', ');
}

/** The line's detail in words (`dialing`, `no answer`); `''` for fjesNONE. A proprietary code shows its own text. */
export function extendedText(code: number, extendedStatus: string): string {
  if (extendedStatus !== '') return extendedStatus;
  if (code === FAX_JOB_EXTENDED_STATUS_ENUM.fjesNONE) return '';
  const name = nameOf(FAX_JOB_EXTENDED_STATUS_ENUM, code);
  return name === undefined ? `extended status ${code}` : words(name, 'fjes');
}

export interface JobProgress {
  readonly status: number;
  readonly extendedStatusCode: number;
  readonly extendedStatus: string;
  readonly currentPage: number;
  readonly pages: number;
}

/** `page 2 of 3`, or `''` before the first page. */
export function pageText(job: Pick<JobProgress, 'currentPage' | 'pages'>): string {
  return job.currentPage >= 1 ? `page ${job.currentPage} of ${job.pages}` : '';
}

/** `in progress (transmitting), page 2 of 3`. */
export function progressText(job: JobProgress): string {
  const detail = extendedText(job.extendedStatusCode, job.extendedStatus);
  const state = detail === '' ? statusText(job.status) : `${statusText(job.status)} (${detail})`;
  const page = pageText(job);
  return page === '' ? state : `${state}, ${page}`;
}

/** A broadcast's counts, in the order they are shown, with their words. */
const COUNT_WORDS: readonly (readonly [keyof FaxBroadcastCounts, string])[] = [
  ['completed', 'completed'],
  ['failed', 'failed'],
  ['canceled', 'canceled'],
  ['inProgress', 'in progress'],
  ['queued', 'queued'],
];

/** `2 completed, 1 failed, 4 in progress` (counts of 0 left out). */
export function countsText(counts: FaxBroadcastCounts): string {
  return COUNT_WORDS.flatMap(([key, words]) => (counts[key] > 0 ? [`${counts[key]} ${words}`] : [])).join(', ');
}

/** A time for tables: ISO 8601 UTC to the second, or `-`. */
export function timeText(time: string | null): string {
  return time === null ? '-' : time.replace(/\.\d+Z$/, 'Z');
}
