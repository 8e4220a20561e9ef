import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock.js';
import { CoreDriver, type DrivenCore } from './core-driver.js';
import { SharedTick } from './shared-tick.js';

/** A station's packet clock: one packet every 20 ms from its start, for `packets` packets. */
class PacketCore implements DrivenCore<string[]> {
  #startedAt = 0;
  #sent = 0;

  constructor(
    readonly name: string,
    readonly packets: number,
  ) {}

  start(now: number): string[] {
    this.#startedAt = now;
    return this.advance(now);
  }

  advance(now: number): string[] {
    const out: string[] = [];
    while (this.#sent < this.packets && this.#startedAt + 20 * this.#sent <= now) {
      out.push(`${this.name}${this.#sent}@${this.#startedAt + 20 * this.#sent}`);
      this.#sent++;
    }
    return out;
  }

  nextDeadline(): number | undefined {
    return this.#sent < this.packets ? this.#startedAt + 20 * this.#sent : undefined;
  }

  get finished(): boolean {
    return this.#sent >= this.packets;
  }
}

describe('SharedTick', () => {
  it('serves many drivers from one timer of the clock under it, earliest deadline first', async () => {
    const base = new ManualClock(0);
    const tick = new SharedTick(base, 2.5);
    const sent: string[] = [];
    const lateness: number[] = [];
    const cores = ['a', 'b', 'c'].map((name) => new PacketCore(name, 3));
    const drivers = cores.map(
      (core) =>
        new CoreDriver(core, (out) => sent.push(...out), { clock: tick, onLateness: (ms) => lateness.push(ms) }),
    );
    // a and c start on the grid's 0 and 5 ms; b starts at 1 ms, which the grid takes back to 0.
    drivers[0]?.run(() => cores[0]?.start(tick.gridFloor(0)) ?? []);
    base.advance(1);
    drivers[1]?.run(() => cores[1]?.start(tick.gridFloor(tick.now())) ?? []);
    base.advance(4);
    drivers[2]?.run(() => cores[2]?.start(tick.gridFloor(tick.now())) ?? []);
    assert.equal(base.waiting, 1, 'one timer under every wake');
    assert.equal(tick.waiting, 3);
    base.advance(15);
    assert.deepEqual(sent.slice(3), ['a1@20', 'b1@20']);
    base.advance(100);
    assert.deepEqual(sent, ['a0@0', 'b0@0', 'c0@5', 'a1@20', 'b1@20', 'c1@25', 'a2@40', 'b2@40', 'c2@45']);
    assert.deepEqual(lateness, [0, 0, 0, 0, 0, 0]);
    await Promise.all(drivers.map((driver) => driver.done));
    assert.equal(base.waiting, 0, 'no timer once no wake waits');
  });

  it('keeps no timer for cancelled wakes, so a finished process can exit', () => {
    const base = new ManualClock(0);
    const tick = new SharedTick(base, 2.5);
    const ran: string[] = [];
    const late = tick.wakeAt(3_600_000, () => ran.push('limit'));
    const soon = tick.wakeAt(10, () => ran.push('soon'));
    assert.equal(base.waiting, 1);
    late();
    assert.equal(base.waiting, 1, 'the front wake still waits');
    soon();
    assert.equal(base.waiting, 0);
    assert.equal(tick.waiting, 0);
    base.advance(4_000_000);
    assert.deepEqual(ran, []);
  });

  it('runs wakes at the same deadline in the order they were set, and one set late in the same tick', () => {
    const base = new ManualClock(0);
    const tick = new SharedTick(base, 2.5);
    const ran: string[] = [];
    tick.wakeAt(30, () => ran.push('second'));
    tick.wakeAt(10, () => {
      ran.push('first');
      tick.wakeAt(5, () => ran.push('overdue'));
    });
    tick.wakeAt(30, () => ran.push('third'));
    base.advance(10);
    assert.deepEqual(ran, ['first', 'overdue']);
    base.advance(20);
    assert.deepEqual(ran, ['first', 'overdue', 'second', 'third']);
    assert.equal(tick.gridFloor(7.4), 5);
    assert.equal(base.waiting, 0);
  });

  it('keeps ticking for every other wake when one throws', async () => {
    const base = new ManualClock(0);
    const tick = new SharedTick(base, 2.5);
    const ran: string[] = [];
    tick.wakeAt(10, () => {
      throw new Error('a station failed');
    });
    tick.wakeAt(10, () => ran.push('same tick'));
    tick.wakeAt(30, () => ran.push('later'));
    assert.throws(() => base.advance(10), /a station failed/);
    // The tick is set again at once for the wake still due (the manual clock runs a due wake in a microtask).
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ran, ['same tick']);
    base.advance(20);
    assert.deepEqual(ran, ['same tick', 'later']);
    assert.equal(base.waiting, 0);
  });
});
