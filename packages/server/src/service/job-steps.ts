// Steps of a job's progress taken together in one write: each moves the job by an event of its state machine, writes
// columns, or both, and the states it passes through are announced as if each step were written alone.

import { type JobEvent, transitionJob } from '@faxd/contract';
import type { Updateable } from 'kysely';
import { type JobRow, jobStateColumns, jobStateOf } from '../store/job-rows.js';
import type { JobTable } from '../store/schema.js';

/** A move of the job by `event`, and columns written with it. */
export interface JobMove {
  readonly event?: JobEvent;
  readonly columns?: Updateable<JobTable>;
}

/** A step of a write: a move, or one chosen on the job as the steps before it leave it (undefined: none). */
export type JobStep = JobMove | ((row: JobRow) => JobMove | undefined);

/**
 * What `steps` make of `row` in turn: the columns to write for all of them, and the row after each step taken (the
 * states the job passes through, each announced as if written alone). A step the machine refuses (a cancel got in
 * first) is skipped, as it would be alone.
 */
export function stepsFrom(row: JobRow, steps: readonly JobStep[]): { columns: Updateable<JobTable>; passed: JobRow[] } {
  let columns: Updateable<JobTable> = {};
  let current = row;
  const passed: JobRow[] = [];
  for (const step of steps) {
    const move = typeof step === 'function' ? step(current) : step;
    if (move === undefined) continue;
    let stepColumns = move.columns ?? {};
    if (move.event) {
      const next = transitionJob(jobStateOf(current), move.event);
      if (!next.ok) continue;
      stepColumns = { ...stepColumns, ...jobStateColumns(next.state) };
    }
    columns = { ...columns, ...stepColumns };
    current = { ...current, ...stepColumns } as JobRow;
    passed.push(current);
  }
  return { columns, passed };
}
