// One fax station on an audio line (T.30 over G.711-rate samples; audio-fax reference §1.4, §5): a T.30 session on an
// audio fax terminal, sans-I/O, whose clock is the count of samples exchanged.
//
// The driver calls `exchange` once per packet time with the samples heard (and which of them were lost) and a buffer
// to fill with the samples to send. The session's `now` is that sample count in milliseconds, so a whole call runs as
// fast as the samples can be computed, and a real-time driver keeps it in step simply by pacing its packets.

import type { T30Event } from '../t30/front-end.js';
import type { T30Session } from '../t30/session.js';
import { T30Station } from '../t30/t30-station.js';
import { AudioFaxTerminal, type AudioFaxTerminalOptions } from './audio-fax-terminal.js';

export interface AudioFaxStationOptions extends AudioFaxTerminalOptions {
  /** Called with every session event as it happens. */
  readonly onEvent?: (event: T30Event) => void;
}

const SAMPLES_PER_MS = 8;

/**
 * Heard samples go to the receivers at most a packet's worth (20 ms) at a time, and the session takes what each piece
 * brought before the next: when a late wake brings many packets at once, the session still switches receivers (an
 * image receiver on a DCS, say) before the samples after the frame are heard, as it does when they come in step.
 * Otherwise a TCF arriving in the same wake as its DCS would find no image receiver listening for its training.
 */
const HEARD_PIECE_SAMPLES = 160;

export class AudioFaxStation extends T30Station {
  readonly terminal: AudioFaxTerminal;
  /** Samples exchanged since the call was answered: the line's clock. */
  #samples = 0;
  #started = false;

  constructor(session: T30Session, options: AudioFaxStationOptions) {
    const terminal = new AudioFaxTerminal(options);
    super(session, terminal, options.onEvent);
    this.terminal = terminal;
  }

  /** Milliseconds of line time since the call was answered. */
  get now(): number {
    return this.#samples / SAMPLES_PER_MS;
  }

  /** The session has ended and the last of its signals (DCN) has gone out. */
  get finished(): boolean {
    return this.outcome !== undefined && this.terminal.idle;
  }

  /** The call is up: phase A begins and the session starts. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.terminal.start();
    this.sessionInput({ type: 'start' }, this.now);
  }

  /** Cancels the call locally (the session sends DCN and ends with `local-cancel`). */
  cancel(): void {
    this.sessionInput({ type: 'cancel' }, this.now);
  }

  /** The write a durable sink started for the page in hand has ended; the session answers the page now. */
  pageStored(ok: boolean): void {
    this.sessionInput({ type: 'page-stored', ok }, this.now);
  }

  /** The record the call layer made of a page the receiver confirmed has ended; the sender goes on now. */
  pageRecorded(): void {
    this.sessionInput({ type: 'page-recorded' }, this.now);
  }

  /**
   * One packet time: `received` are the samples heard since the last call (`missing[i]` 1 where sample i was lost and
   * is only a placeholder), `out` is filled with the samples to send. Both stand for the same stretch of line time.
   */
  exchange(received: Int16Array, out: Int16Array, missing?: Uint8Array): void {
    this.start();
    this.#hear(received, missing);
    this.#samples += out.length;
    const deadline = this.session.nextDeadline();
    if (deadline !== undefined && deadline <= this.now) this.sessionOutputs(this.session.advance(this.now), this.now);
    for (const input of this.terminal.transmit(out)) this.sessionInput(input, this.now);
  }

  /** Heard samples in pieces of at most HEARD_PIECE_SAMPLES; see #hearPiece. */
  #hear(received: Int16Array, missing: Uint8Array | undefined): void {
    for (let from = 0; from < received.length; from += HEARD_PIECE_SAMPLES) {
      const to = Math.min(received.length, from + HEARD_PIECE_SAMPLES);
      this.#hearPiece(received.subarray(from, to), missing?.subarray(from, to));
    }
  }

  /** Runs of samples heard go to the receivers, runs of missing ones to their fill-in. */
  #hearPiece(received: Int16Array, missing: Uint8Array | undefined): void {
    // The usual tick: one packet, all of it heard.
    if (!missing) {
      for (const input of this.terminal.receive(received)) this.sessionInput(input, this.now);
      return;
    }
    let run = 0;
    for (let i = 1; i <= received.length; i++) {
      if (i < received.length && (missing?.[i] ?? 0) === (missing?.[run] ?? 0)) continue;
      const inputs =
        missing?.[run] === 1 ? this.terminal.fillIn(i - run) : this.terminal.receive(received.subarray(run, i));
      for (const input of inputs) this.sessionInput(input, this.now);
      run = i;
    }
  }
}
