import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock.js';
import type { Clock } from './clock.js';
import { CoreDriver, type DrivenCore } from './core-driver.js';

/** A core that echoes what it is given, wakes every `period` ms with a tick, and finishes after `ticks` of them. */
class TickingCore implements DrivenCore<string[]> {
  readonly period: number;
  readonly ticks: number;
  #next: number | undefined;
  #fired = 0;

  constructor(period: number, ticks: number) {
    this.period = period;
    this.ticks = ticks;
  }

  start(now: number): string[] {
    this.#next = now + this.period;
    return [`start@${now}`];
  }

  receive(input: string, now: number): string[] {
    return [`${input}@${now}`];
  }

  advance(now: number): string[] {
    const out: string[] = [];
    while (this.#next !== undefined && this.#next <= now) {
      this.#fired += 1;
      out.push(`tick${this.#fired}@${now}`);
      this.#next = this.#fired < this.ticks ? this.#next + this.period : undefined;
    }
    return out;
  }

  nextDeadline(): number | undefined {
    return this.#next;
  }

  get finished(): boolean {
    return this.#fired >= this.ticks;
  }
}

function drive(core: TickingCore, clock: ManualClock, lateness: number[] = []) {
  const sent: string[] = [];
  let settled = false;
  const driver = new CoreDriver(core, (output) => sent.push(...output), {
    clock,
    onLateness: (ms) => lateness.push(ms),
  });
  void driver.done.then(() => {
    settled = true;
  });
  return { driver, sent, settled: () => settled };
}

describe('CoreDriver', () => {
  it('hands every output to the sink and wakes the core at each deadline on the clock it is given', async () => {
    const clock = new ManualClock(0);
    const core = new TickingCore(100, 3);
    const lateness: number[] = [];
    const { driver, sent, settled } = drive(core, clock, lateness);
    driver.run((now) => core.start(now));
    clock.advance(50);
    driver.run((now) => core.receive('hello', now));
    assert.deepEqual(sent, ['start@0', 'hello@50']);
    assert.equal(clock.waiting, 1, 'one timer, however many inputs');
    clock.advance(250);
    assert.deepEqual(sent, ['start@0', 'hello@50', 'tick1@100', 'tick2@200', 'tick3@300']);
    assert.deepEqual(lateness, [0, 0, 0]);
    await driver.done;
    assert.ok(settled());
    assert.equal(driver.over, true);
    assert.equal(clock.waiting, 0, 'no timer left once the core has finished');
  });

  it('keeps the timer it has when an input leaves the deadline where it was (a G.711 packet arriving)', () => {
    const clock = new ManualClock(0);
    let set = 0;
    const counting: Clock = {
      now: () => clock.now(),
      wakeAt: (atMs, wake) => {
        set += 1;
        return clock.wakeAt(atMs, wake);
      },
    };
    const core = new TickingCore(100, 2);
    const driver = new CoreDriver(core, () => {}, { clock: counting });
    driver.run((now) => core.start(now));
    for (const input of ['a', 'b', 'c']) driver.run((now) => core.receive(input, now));
    assert.equal(set, 1);
    clock.advance(100);
    assert.equal(set, 2, 'set again for the next deadline once it has run');
    assert.equal(clock.waiting, 1);
  });

  it('drops input once the core has finished', async () => {
    const clock = new ManualClock(0);
    const core = new TickingCore(10, 1);
    const { driver, sent } = drive(core, clock);
    driver.run((now) => core.start(now));
    clock.advance(10);
    await driver.done;
    let called = false;
    driver.run((now) => {
      called = true;
      return core.receive('late', now);
    });
    assert.equal(called, false);
    assert.deepEqual(sent, ['start@0', 'tick1@10']);
  });

  it('stops cleanly: done settles, the timer is cleared and nothing more reaches the sink', async () => {
    const clock = new ManualClock(0);
    const core = new TickingCore(100, 5);
    const { driver, sent, settled } = drive(core, clock);
    driver.run((now) => core.start(now));
    clock.advance(100);
    driver.stop();
    await driver.done;
    assert.ok(settled());
    assert.equal(clock.waiting, 0);
    clock.advance(1000);
    driver.run((now) => core.receive('after', now));
    assert.deepEqual(sent, ['start@0', 'tick1@100']);
  });

  it('a sink that stops the driver leaves no timer behind, and one that runs it again keeps a single timer', () => {
    const clock = new ManualClock(0);
    const stopping = new TickingCore(100, 5);
    const stopper: CoreDriver<string[]> = new CoreDriver(
      stopping,
      (output) => {
        if (output.some((o) => o.startsWith('tick'))) stopper.stop();
      },
      { clock },
    );
    stopper.run((now) => stopping.start(now));
    clock.advance(100);
    assert.equal(stopper.over, true);
    assert.equal(clock.waiting, 0);

    const echoing = new TickingCore(100, 5);
    const seen: string[] = [];
    const echoer: CoreDriver<string[]> = new CoreDriver(
      echoing,
      (output) => {
        seen.push(...output);
        if (output.includes('start@100')) echoer.run((now) => echoing.receive('again', now));
      },
      { clock },
    );
    echoer.run((now) => echoing.start(now));
    assert.deepEqual(seen, ['start@100', 'again@100']);
    assert.equal(clock.waiting, 1);
  });

  it('reports how late each wake-up ran after its deadline', () => {
    const clock = new ManualClock(0);
    const core = new TickingCore(100, 2);
    const lateness: number[] = [];
    const { driver } = drive(core, clock, lateness);
    driver.run((now) => core.start(now));
    // A clock whose timer fires 30 ms late, as a busy event loop does.
    const late: Clock = { now: () => clock.now(), wakeAt: (atMs, wake) => clock.wakeAt(atMs + 30, wake) };
    const core2 = new TickingCore(100, 1);
    const driver2 = new CoreDriver(core2, () => {}, { clock: late, onLateness: (ms) => lateness.push(ms) });
    driver2.run((now) => core2.start(now));
    clock.advance(300);
    assert.deepEqual(lateness, [0, 30, 0]);
    assert.equal(driver.over && driver2.over, true);
  });

  it('stops instead of a step it may not take, an input or a wake, and the core says nothing more', async () => {
    const clock = new ManualClock(0);
    const core = new TickingCore(100, 5);
    let mayContinue = true;
    const sent: string[] = [];
    const driver = new CoreDriver(core, (output) => sent.push(...output), { clock, mayContinue: () => mayContinue });
    driver.run((now) => core.start(now));
    clock.advance(100);
    mayContinue = false;
    // The timer is due: after a stall, it is the first thing to run, and it must not tick.
    clock.advance(100);
    await driver.done;
    assert.equal(driver.over, true);
    assert.equal(clock.waiting, 0);
    let called = false;
    driver.run((now) => {
      called = true;
      return core.receive('late', now);
    });
    assert.equal(called, false);
    assert.deepEqual(sent, ['start@0', 'tick1@100']);

    // An input first: the step is not taken either.
    const core2 = new TickingCore(100, 5);
    const sent2: string[] = [];
    let allowed = true;
    const driver2 = new CoreDriver(core2, (output) => sent2.push(...output), { clock, mayContinue: () => allowed });
    driver2.run((now) => core2.start(now));
    allowed = false;
    driver2.run((now) => core2.receive('datagram', now));
    await driver2.done;
    assert.deepEqual(sent2, ['start@200']);
    assert.equal(clock.waiting, 0);
  });
});
