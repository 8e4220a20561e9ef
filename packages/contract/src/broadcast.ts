// Broadcast (issue 19): one submission to many recipients, as FaxDocument.Recipients with ConnectedSubmit (reference
// §2.6): one outbound job per recipient, grouped under a broadcast id that GET /v1/broadcasts/{id} reports on.

import { baseJobStatus, FAX_JOB_STATUS_ENUM, type FaxJobBaseStatus } from './job-enums.js';

const S = FAX_JOB_STATUS_ENUM;

/** One entry of a submission's `recipients`: the fax number to dial and, optionally, who it is for. */
export interface BroadcastRecipient {
  /** Digits, with optional leading '+', spaces, dashes, dots, parentheses (as `to`). */
  readonly number: string;
  readonly name?: string;
}

/** The 201 answer to a submission with `recipients`: the broadcast and its jobs, one per recipient, in list order. */
export interface SubmittedBroadcast {
  readonly broadcastId: string;
  readonly jobIds: readonly string[];
}

/** One recipient of a broadcast and where its job stands. */
export interface FaxBroadcastRecipient {
  readonly jobId: string;
  readonly number: string;
  /** The entry's name, or `null` when it had none. */
  readonly name: string | null;
  /** The job's FaxJobStatus.status: FAX_JOB_STATUS_ENUM bits, as COM has them. */
  readonly status: number;
}

/** How many of a broadcast's jobs stand where; the five always add up to the number of recipients. */
export interface FaxBroadcastCounts {
  /** Not started yet, paused, or waiting to retry. */
  readonly queued: number;
  /** Dialing or transmitting (a cancel asked of a job on the line counts here until the line lets go). */
  readonly inProgress: number;
  readonly completed: number;
  /** Failed, retries exceeded included. */
  readonly failed: number;
  readonly canceled: number;
}

/** GET /v1/broadcasts/{id}, and the answer of POST /v1/broadcasts/{id}/cancel. */
export interface FaxBroadcast {
  readonly broadcastId: string;
  /** ISO 8601 UTC, ending in `Z`. */
  readonly submittedTime: string;
  /** In the submission's order. */
  readonly recipients: readonly FaxBroadcastRecipient[];
  readonly counts: FaxBroadcastCounts;
}

/** Which count each base status falls in. */
const COUNT_OF_STATUS = {
  [S.fjsPENDING]: 'queued',
  [S.fjsRETRYING]: 'queued',
  [S.fjsINPROGRESS]: 'inProgress',
  [S.fjsCANCELING]: 'inProgress',
  [S.fjsROUTING]: 'inProgress',
  [S.fjsCOMPLETED]: 'completed',
  [S.fjsFAILED]: 'failed',
  [S.fjsRETRIES_EXCEEDED]: 'failed',
  [S.fjsCANCELED]: 'canceled',
} as const satisfies Record<FaxJobBaseStatus, keyof FaxBroadcastCounts>;

/** The counts of a broadcast whose jobs have `statuses` (modifiers such as fjsPAUSED leave a job where its base is). */
export function broadcastCountsOf(statuses: readonly number[]): FaxBroadcastCounts {
  const counts = { queued: 0, inProgress: 0, completed: 0, failed: 0, canceled: 0 };
  for (const status of statuses) {
    const key = COUNT_OF_STATUS[baseJobStatus(status)];
    if (key === undefined) throw new RangeError(`${status} is not a FAX_JOB_STATUS_ENUM status word`);
    counts[key] += 1;
  }
  return counts;
}

/**
 * A fax number as the dialer dials it: the separators people write (spaces, dashes, dots, parentheses) dropped, a
 * leading '+' kept. Two entries of one broadcast with the same dialed number are a duplicate.
 */
export function dialedNumber(number: string): string {
  return number.replace(/[ ().-]/g, '');
}
