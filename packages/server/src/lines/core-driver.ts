// Drives one sans-I/O core in real time (DESIGN.md §2): each input runs the core at the clock's time, what it returns
// goes to a sink, and one timer wakes the core at its next deadline. The same driver runs a T.38 station, a SIP call
// and a SIP client transaction; the sockets belong to the caller.

import { type Clock, realClock } from './clock.js';

/** What the driver needs of a core: its timers, and whether it has anything left to do. */
export interface DrivenCore<Output> {
  advance(now: number): Output;
  /** When `advance` should next run (the core's clock), or undefined while no timer runs. */
  nextDeadline(): number | undefined;
  /** True once the core will neither send nor time out again. */
  readonly finished: boolean;
}

export interface CoreDriverOptions {
  readonly clock?: Clock;
  /**
   * Called each time the timer wakes the core, with how many milliseconds after the core's deadline it ran: pacing
   * lateness, which grows when the event loop is too busy to keep a real-time schedule (T.38's).
   */
  readonly onLateness?: (ms: number) => void;
  /**
   * Asked before each step (an input, a wake): false stops the driver instead, the core saying nothing more. What a
   * call checks before anything it sends could deliver a page or confirm one (see CallListener.mayContinue).
   */
  readonly mayContinue?: () => boolean;
}

export class CoreDriver<Output> {
  /** Settles once the core has finished or the driver was stopped; no timer is left running then. */
  readonly done: Promise<void>;
  readonly #core: DrivenCore<Output>;
  readonly #sink: (output: Output) => void;
  readonly #clock: Clock;
  readonly #onLateness: ((ms: number) => void) | undefined;
  readonly #mayContinue: () => boolean;
  #cancelTimer: (() => void) | undefined;
  /** The deadline the timer is set for. */
  #timerAt: number | undefined;
  #over = false;
  #resolve: () => void = () => {};

  constructor(core: DrivenCore<Output>, sink: (output: Output) => void, options: CoreDriverOptions = {}) {
    this.#core = core;
    this.#sink = sink;
    this.#clock = options.clock ?? realClock();
    this.#onLateness = options.onLateness;
    this.#mayContinue = options.mayContinue ?? (() => true);
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** The core's time now. */
  now(): number {
    return this.#clock.now();
  }

  /** Whether the core finished or the driver was stopped: further input is dropped. */
  get over(): boolean {
    return this.#over;
  }

  /**
   * Gives the core one input: `step` calls it (receive, start, cancel…) at the driver's time, and what it returns goes
   * to the sink before the timer is set again. The sink may itself run the driver again, or stop it.
   */
  run(step: (now: number) => Output): void {
    if (this.#over || this.#stoppedBefore()) return;
    this.#take(step(this.now()));
  }

  /** Stops without another word from the core: the timer is cleared and `done` settles. */
  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = undefined;
    this.#over = true;
    this.#resolve();
  }

  /** Stops the driver if the next step may not run; whether it did. */
  #stoppedBefore(): boolean {
    if (this.#mayContinue()) return false;
    this.stop();
    return true;
  }

  #take(output: Output): void {
    this.#sink(output);
    if (this.#over) return;
    if (this.#core.finished) {
      this.stop();
      return;
    }
    const deadline = this.#core.nextDeadline();
    // An input that leaves the deadline where it was (a G.711 packet, 50 a second) keeps the timer already set.
    if (deadline === this.#timerAt && this.#cancelTimer) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = deadline;
    if (deadline !== undefined) {
      this.#cancelTimer = this.#clock.wakeAt(deadline, () => this.#wake(deadline));
    }
  }

  #wake(deadline: number): void {
    this.#cancelTimer = undefined;
    this.#timerAt = undefined;
    if (this.#over || this.#stoppedBefore()) return;
    const now = this.now();
    this.#onLateness?.(now - deadline);
    this.#take(this.#core.advance(now));
  }
}
