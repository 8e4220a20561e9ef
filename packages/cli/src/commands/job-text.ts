// Job progress in words for the human output of `fax send --wait`, `fax jobs`, `fax job`, `fax broadcast` and
// `fax watch`, on the contract's words for each job state (statusText, extendedText).

import { extendedText, type FaxBroadcastCounts, statusText } from '@faxd/contract';

export { extendedText, statusText };

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
