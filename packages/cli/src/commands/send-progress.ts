// The progress display of `fax send --wait` (DESIGN.md §3: "page n of m"): on a terminal one bar redrawn in place on
// stderr, elsewhere (a log, a pipe) one plain line each time the text changes.

import { baseJobStatus, FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { type JobProgress, progressText } from './job-text.js';

const BAR_WIDTH = 24;

/** The share of the fax that is done: pages confirmed over pages, all of it once completed. */
function doneFraction(job: JobProgress): number {
  if (baseJobStatus(job.status) === FAX_JOB_STATUS_ENUM.fjsCOMPLETED) return 1;
  if (job.pages < 1 || job.currentPage < 1) return 0;
  return Math.min(1, (job.currentPage - 1) / job.pages);
}

/** `[#########---------------]`. */
export function progressBar(job: JobProgress): string {
  const filled = Math.round(doneFraction(job) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** The subset of a stream the display writes to (process.stderr, or a test's stand-in). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export class SendProgress {
  readonly #stream: ProgressStream;
  readonly #jobId: string;
  #last = '';
  #drawn = false;

  constructor(stream: ProgressStream, jobId: string) {
    this.#stream = stream;
    this.#jobId = jobId;
  }

  /** Shows `job`'s state if it differs from what is shown. */
  update(job: JobProgress): void {
    const text = `job ${this.#jobId}: ${progressText(job)}`;
    if (text === this.#last) return;
    this.#last = text;
    if (!this.#stream.isTTY) {
      this.#stream.write(`${text}\n`);
      return;
    }
    // Cut to the terminal's width: a wrapped line could no longer be redrawn with a carriage return.
    const line = `${progressBar(job)} ${text}`.slice(0, Math.max(1, (this.#stream.columns ?? 80) - 1));
    this.#stream.write(`\r${line}\x1b[K`);
    this.#drawn = true;
  }

  /** Ends the redrawn line so that what follows starts on a line of its own. */
  finish(): void {
    if (this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }
}
