// The deadline a node's calls stop at, on a manual clock: counted from when the acknowledged renewal was sent, less a
// fifth of the lease; a renewal that returns late gains nothing past that; the lapse is reported once, even when the
// acknowledgement of a late renewal runs before the timer does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock.js';
import type { Clock } from './clock.js';
import { LeaseDeadline, leaseHoldMs } from './lease-deadline.js';

const LEASE_SECONDS = 30;
/** What a 30-second lease lets a node act on after a renewal: 24 seconds (a fifth given up). */
const HOLD_MS = leaseHoldMs(LEASE_SECONDS);

function deadline(clock: ManualClock) {
  const lapses: number[] = [];
  const lease = new LeaseDeadline(clock, HOLD_MS, clock.now(), () => lapses.push(clock.now()));
  return { lease, lapses };
}

describe('a lease deadline', () => {
  it('holds a fifth of the lease short of it, and reports the lapse at that moment', () => {
    assert.equal(HOLD_MS, 24_000);
    const clock = new ManualClock(1_000_000);
    const { lease, lapses } = deadline(clock);
    assert.equal(lease.until, 1_024_000);
    clock.advance(HOLD_MS - 1);
    assert.ok(lease.held());
    assert.deepEqual(lapses, []);
    clock.advance(1);
    assert.ok(!lease.held(), 'not held at the deadline itself');
    assert.deepEqual(lapses, [1_024_000]);
    clock.advance(60_000);
    assert.equal(lapses.length, 1, 'one report for one lapse');
  });

  it('moves on with each acknowledged renewal, counted from when it was sent', () => {
    const clock = new ManualClock(0);
    const { lease, lapses } = deadline(clock);
    clock.advance(5_000);
    const sentAt = clock.now();
    // The store took 10 seconds to acknowledge: the lease still counts from the send, as the others count it.
    clock.advance(10_000);
    assert.equal(lease.renewed(sentAt), false, 'held all along');
    assert.equal(lease.until, 5_000 + HOLD_MS);
    clock.advance(5_000 + HOLD_MS - clock.now() - 1);
    assert.ok(lease.held());
    clock.advance(1);
    assert.ok(!lease.held());
    assert.deepEqual(lapses, [5_000 + HOLD_MS]);
  });

  it('gains nothing from a renewal older than the one it stands on', () => {
    const clock = new ManualClock(0);
    const { lease } = deadline(clock);
    clock.advance(5_000);
    lease.renewed(5_000);
    lease.renewed(1_000);
    assert.equal(lease.until, 5_000 + HOLD_MS);
  });

  it('reports a lapse an acknowledgement reveals before the timer has run, then holds again', () => {
    // A stalled event loop: the time moves on, the timers wait (they run `stalledMs` late).
    const timers = new ManualClock(0);
    let stalledMs = 0;
    const clock: Clock = { now: () => timers.now() + stalledMs, wakeAt: (atMs, wake) => timers.wakeAt(atMs, wake) };
    const lapses: number[] = [];
    const lease = new LeaseDeadline(clock, HOLD_MS, 0, () => lapses.push(clock.now()));
    timers.advance(5_000);
    stalledMs = 25_000;
    // The renewal sent at 20 s is acknowledged at 30 s, past the deadline (24 s), before the timer has run.
    assert.equal(lease.renewed(20_000), true, 'held again, by a renewal sent after the last one acknowledged');
    assert.deepEqual(lapses, [30_000], 'the lapse reported first, when the acknowledgement ran');
    assert.equal(lease.until, 20_000 + HOLD_MS);
    assert.ok(lease.held());
    timers.advance(60_000);
    assert.deepEqual(lapses, [30_000, 20_000 + HOLD_MS + stalledMs], 'the next lapse in its turn, by the late timer');
  });

  it('stays lapsed when the renewal acknowledged was sent too long ago to count', () => {
    const clock = new ManualClock(0);
    const { lease, lapses } = deadline(clock);
    clock.advance(30_000);
    assert.deepEqual(lapses, [24_000]);
    // Sent at 1 s, acknowledged at 30 s: held only until 25 s, which has passed.
    assert.equal(lease.renewed(1_000), false);
    assert.ok(!lease.held());
    assert.deepEqual(lapses, [24_000], 'one lapse, one report');
    assert.equal(lease.renewed(clock.now()), true);
    clock.advance(HOLD_MS);
    assert.deepEqual(lapses, [24_000, 30_000 + HOLD_MS], 'the next lapse reported in its turn');
  });

  it('sets no timer once stopped', () => {
    const clock = new ManualClock(0);
    const { lease, lapses } = deadline(clock);
    lease.stop();
    assert.equal(clock.waiting, 0);
    clock.advance(60_000);
    assert.deepEqual(lapses, []);
  });
});
