// The service's manual clock: wakes run in time order as the test advances, each at its own time; a canceled one
// never runs; one already due runs without an advance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('runs the wakes an advance passes, in time order, each seeing its own time', () => {
    const clock = new ManualClock(1_000);
    const seen: string[] = [];
    clock.wakeAt(1_300, () => seen.push(`b@${clock.now()}`));
    clock.wakeAt(1_100, () => {
      seen.push(`a@${clock.now()}`);
      clock.wakeAt(1_200, () => seen.push(`a2@${clock.now()}`));
    });
    clock.wakeAt(5_000, () => seen.push('late'));
    const cancel = clock.wakeAt(1_250, () => seen.push('canceled'));
    cancel();
    clock.advance(300);
    assert.deepEqual(seen, ['a@1100', 'a2@1200', 'b@1300']);
    assert.equal(clock.now(), 1_300);
    clock.advanceTo(4_999);
    assert.deepEqual(seen, ['a@1100', 'a2@1200', 'b@1300']);
    assert.throws(() => clock.advance(-1));
  });

  it('runs a wake already due without an advance, but never synchronously', async () => {
    const clock = new ManualClock(1_000);
    let woken = false;
    clock.wakeAt(1_000, () => {
      woken = true;
    });
    assert.equal(woken, false);
    await Promise.resolve();
    assert.equal(woken, true);
  });
});
