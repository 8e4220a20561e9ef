// The progress display of `fax send --wait` (DESIGN.md §3: "page n of m"): a line per job, or for a broadcast to more
// than MAX_JOB_LINES recipients one summary line. On a terminal the lines are redrawn in place on stderr; elsewhere
// (a log, a pipe) one plain line is written each time a line's text changes.

import { baseJobStatus, broadcastCountsOf, FAX_JOB_STATUS_ENUM, isFinal } from '@faxd/contract';
import { countsText, type JobProgress, progressText } from './job-text.js';

const S = FAX_JOB_STATUS_ENUM;
const BAR_WIDTH = 24;
/** Beyond this many jobs a line each would scroll off a terminal: one summary line stands for them all. */
export const MAX_JOB_LINES = 10;

/** `[#########---------------]` for a share `done` between 0 and 1. */
function bar(done: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, done)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** The share of the fax that is done: pages confirmed over pages, all of it once completed. */
function doneFraction(job: JobProgress): number {
  if (baseJobStatus(job.status) === S.fjsCOMPLETED) return 1;
  if (job.pages < 1 || job.currentPage < 1) return 0;
  return Math.min(1, (job.currentPage - 1) / job.pages);
}

/** `[#########---------------]`: the pages of one job. */
export function progressBar(job: JobProgress): string {
  return bar(doneFraction(job));
}

/** `3 of 40 ended: 2 completed, 1 failed, 4 in progress, 33 queued` (a job not heard of yet counts as queued). */
export function summaryText(jobs: readonly (JobProgress | undefined)[]): string {
  const counts = broadcastCountsOf(jobs.map((job) => job?.status ?? S.fjsPENDING));
  const ended = counts.completed + counts.failed + counts.canceled;
  return `${ended} of ${jobs.length} ended: ${countsText(counts)}`;
}

/** The subset of a stream the display writes to (process.stderr, or a test's stand-in). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** One line of the display: its bar (shown on a terminal) and its text. */
interface ShownLine {
  readonly bar: string;
  readonly text: string;
}

export class SendProgress {
  readonly #stream: ProgressStream;
  readonly #jobIds: readonly string[];
  /** The latest state of each job, by id. */
  readonly #jobs = new Map<string, JobProgress>();
  /** The text of each line as last shown. */
  #shown: string[] = [];
  /** Lines drawn on the terminal, which a redraw goes back over. */
  #drawn = 0;

  /** Shows the progress of the job `jobIds` (one), or of each of `jobIds` in their order. */
  constructor(stream: ProgressStream, jobIds: string | readonly string[]) {
    this.#stream = stream;
    this.#jobIds = typeof jobIds === 'string' ? [jobIds] : jobIds;
  }

  /** Takes `job`'s new state (the job `jobId`, which may be left out when there is one) and shows what changed. */
  update(job: JobProgress, jobId = this.#jobIds[0]): void {
    this.#jobs.set(jobId, job);
    this.#show();
  }

  /** Takes the state of several jobs at once (as submitted, say) and shows them together. */
  updateAll(jobs: readonly (JobProgress & { readonly jobId: string })[]): void {
    for (const job of jobs) this.#jobs.set(job.jobId, job);
    this.#show();
  }

  #show(): void {
    const lines = this.#lines();
    const texts = lines.map((line) => line.text);
    const changed = texts.flatMap((text, i) => (text === this.#shown[i] ? [] : [i]));
    if (changed.length === 0) return;
    this.#shown = texts;
    if (!this.#stream.isTTY) {
      // A line for a job not heard of yet says nothing worth a line of a log.
      for (const i of changed) if (lines.length === 1 || this.#jobs.has(this.#jobIds[i])) this.#write(texts[i]);
      return;
    }
    this.#redraw(lines);
  }

  #write(text: string): void {
    this.#stream.write(`${text}\n`);
  }

  /** A line per job while there are few; one summary line for many. */
  #lines(): ShownLine[] {
    if (this.#jobIds.length > MAX_JOB_LINES) {
      const jobs = this.#jobIds.map((id) => this.#jobs.get(id));
      const ended = jobs.filter((job) => job !== undefined && isFinal(job.status)).length;
      return [{ bar: bar(ended / jobs.length), text: summaryText(jobs) }];
    }
    return this.#jobIds.map((id) => {
      const job = this.#jobs.get(id);
      if (job === undefined) return { bar: bar(0), text: `job ${id}: submitted` };
      return { bar: progressBar(job), text: `job ${id}: ${progressText(job)}` };
    });
  }

  /** Draws the lines over those drawn before: back up to the first, then each line cleared to its end. */
  #redraw(lines: readonly ShownLine[]): void {
    // Cut to the terminal's width: a wrapped line could no longer be redrawn in place.
    // A terminal that does not tell its width (0, as under some pseudo-terminals) is taken as 80 columns wide.
    const width = Math.max(1, (this.#stream.columns || 80) - 1);
    const up = this.#drawn > 1 ? `\x1b[${this.#drawn - 1}A` : '';
    const body = lines.map((line) => `\r${`${line.bar} ${line.text}`.slice(0, width)}\x1b[K`).join('\n');
    this.#stream.write(`${up}${body}`);
    this.#drawn = lines.length;
  }

  /** Ends the redrawn lines so that what follows starts on a line of its own. */
  finish(): void {
    if (this.#drawn > 0) this.#stream.write('\n');
    this.#drawn = 0;
  }
}
