// A T.30 session joined to its front end (T.30 clause 5): what every station shares whatever carries its signals
// (T.38 IFPs, audio samples). Session inputs go in; line outputs go to the front end in order; events are kept and
// passed on, and the outcome is noted when it comes.

import type { T30Event, T30FrontEnd, T30Input, T30Output } from './front-end.js';
import type { T30Outcome } from './outcome.js';
import type { T30Session } from './session.js';

/** A front end a station drives: it also hears when the session has ended (a caller's CNG stops then). */
export interface StationFrontEnd extends T30FrontEnd {
  sessionEnded(): void;
}

export abstract class T30Station {
  readonly session: T30Session;
  readonly events: T30Event[] = [];
  outcome: T30Outcome | undefined;
  readonly #frontEnd: StationFrontEnd;
  readonly #onEvent: ((event: T30Event) => void) | undefined;

  constructor(session: T30Session, frontEnd: StationFrontEnd, onEvent?: (event: T30Event) => void) {
    this.session = session;
    this.#frontEnd = frontEnd;
    this.#onEvent = onEvent;
  }

  protected sessionInput(input: T30Input, now: number): void {
    this.sessionOutputs(this.session.receive(input, now), now);
  }

  protected sessionOutputs(outputs: readonly T30Output[], now: number): void {
    for (const output of outputs) {
      if (output.type !== 'event') {
        this.#frontEnd.perform(output, now);
        continue;
      }
      this.events.push(output.event);
      if (output.event.type === 'outcome') {
        this.outcome = output.event.outcome;
        this.#frontEnd.sessionEnded();
      }
      this.#onEvent?.(output.event);
    }
  }
}
