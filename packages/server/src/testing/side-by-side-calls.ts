// Test support: a suite of live calls in real time that all start at once, so it lasts as long as its longest call,
// one test per call asserting on that call's outcome.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

export interface SideBySideCalls<Cell, Run> {
  readonly cells: readonly Cell[];
  /** Runs one call; `work` is a temporary directory the suite removes at the end. */
  readonly run: (cell: Cell, index: number, work: string) => Promise<Run>;
  readonly name: (cell: Cell) => string;
  readonly check: (run: Run, cell: Cell) => void;
}

export function describeSideBySide<Cell, Run>(title: string, calls: SideBySideCalls<Cell, Run>): void {
  describe(title, { concurrency: true }, () => {
    let work = '';
    const runs = new Map<number, Promise<Run>>();

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'faxd-calls-'));
      calls.cells.forEach((cell, index) => {
        const run = calls.run(cell, index, work);
        run.catch(() => {});
        runs.set(index, run);
      });
    });

    after(async () => {
      await Promise.allSettled(runs.values());
      await rm(work, { recursive: true, force: true });
    });

    calls.cells.forEach((cell, index) => {
      it(calls.name(cell), async () => {
        calls.check(await (runs.get(index) as Promise<Run>), cell);
      });
    });
  });
}
