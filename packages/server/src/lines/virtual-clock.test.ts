// The sandbox calls' virtual clock: wakes in time order at their own time, cancels, holds, and turns for I/O.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { VirtualClock } from './virtual-clock.js';

/** Resolves once `clock` has no wake left to run. */
function idle(clock: VirtualClock): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (clock.pending === 0 ? resolve() : setImmediate(check));
    check();
  });
}

describe('VirtualClock', () => {
  it('runs wakes in time order, each at its own time, never synchronously, and skips cancelled ones', async () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    clock.wakeAt(60_000, () => ran.push(`b@${clock.now()}`));
    clock.wakeAt(5, () => {
      ran.push(`a@${clock.now()}`);
      clock.wakeAt(clock.now(), () => ran.push(`a2@${clock.now()}`));
    });
    const cancel = clock.wakeAt(30, () => ran.push('cancelled'));
    clock.wakeAt(60_000, () => ran.push(`c@${clock.now()}`));
    cancel();
    assert.deepEqual(ran, []);
    await idle(clock);
    assert.deepEqual(ran, ['a@5', 'a2@5', 'b@60000', 'c@60000']);
  });

  it('stands still while a hold is pending, then goes on', async () => {
    const clock = new VirtualClock();
    const ran: number[] = [];
    let release: () => void = () => {};
    const work = new Promise<void>((resolve) => {
      release = resolve;
    });
    clock.wakeAt(10, () => {
      void clock.hold(work);
      clock.wakeAt(3_000, () => ran.push(clock.now()));
    });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.now(), 10, 'time stopped at the hold');
    assert.deepEqual(ran, []);
    release();
    await idle(clock);
    assert.deepEqual(ran, [3_000]);
  });

  it('lets other work run between its bursts while a long call keeps it busy', async () => {
    const clock = new VirtualClock();
    let wakes = 0;
    let wakesWhenOtherWorkRan: number | undefined;
    // 400 wakes of a quarter millisecond of CPU each: far more than one turn's share.
    const step = () => {
      const until = performance.now() + 0.25;
      while (performance.now() < until);
      // Other work arrives once the call is under way (an API request, say).
      if (++wakes === 1) {
        setImmediate(() => {
          wakesWhenOtherWorkRan = wakes;
        });
      }
      if (wakes < 400) clock.wakeAt(clock.now() + 20, step);
    };
    clock.wakeAt(0, step);
    await idle(clock);
    assert.equal(wakes, 400);
    assert.ok(wakesWhenOtherWorkRan !== undefined && wakesWhenOtherWorkRan < 400, `${wakesWhenOtherWorkRan}`);
  });
});
