// The audio fax front end (T.30 §5; audio-fax reference §1, §5): a sans-I/O sibling of the T.38 terminal that carries a
// T.30 session over 8 kHz linear samples with faxd's own modems, V.21 for control and the image modem the DCS chose.
//
// The driver hands it the samples heard (`receive`, or `fillIn` for samples lost on the way) and asks for the samples
// to send (`transmit`); time is the count of samples. Both give back the session's inputs. Phase A is the terminal's:
// the caller sends CNG until it hears the far end's V.21 flags, the answerer CED before the session's first signal.

import type { FrontEndInput, T30FrontEnd, T30LineOutput } from '../t30/front-end.js';
import { AudioReceiver } from './audio-receiver.js';
import { AudioTransmitter } from './audio-transmitter.js';

export interface AudioFaxTerminalOptions {
  readonly role: 'calling' | 'answering';
}

/**
 * How long the receivers stand in for missing samples with their fill-in (carrier and timing running on): a lost
 * packet or two in a burst. A longer gap is the far end gone or not started yet, heard as the silence it is, so
 * carriers drop (SpanDSP gives a carrier lost mid-frame 200 ms of grace).
 */
const MAX_FILL_IN_SAMPLES = 1600;

const NO_INPUTS: readonly FrontEndInput[] = [];
const SEND_DONE: readonly FrontEndInput[] = [{ type: 'send-done' }];

export class AudioFaxTerminal implements T30FrontEnd {
  readonly #options: AudioFaxTerminalOptions;
  readonly #transmitter = new AudioTransmitter();
  readonly #receiver = new AudioReceiver();
  /** Silence for the receivers while they must not hear the line. */
  #quiet = new Int16Array(160);
  /** Samples missing in a row, up to now. */
  #missing = 0;

  constructor(options: AudioFaxTerminalOptions) {
    this.#options = options;
  }

  /** Begins phase A; the session should be started at the same time. */
  start(): void {
    if (this.#options.role === 'calling') this.#transmitter.startCallingTone();
    else this.#transmitter.startAnswerTone();
  }

  /** Performs one session output (T30FrontEnd); transmissions queue behind what is on the line. */
  perform(output: T30LineOutput): void {
    switch (output.type) {
      case 'set-receive-modem':
        this.#receiver.listen(output.modem, output.hdlc);
        return;
      case 'stop-transmit':
        this.#transmitter.stop();
        return;
      default:
        this.#receiver.transmitting();
        this.#transmitter.queue(output);
    }
  }

  /** The session has ended: the calling tone stops (a DCN already queued still goes out). */
  sessionEnded(): void {
    this.#transmitter.stopCallingTone();
  }

  /** Nothing is on the line or waiting to go out. */
  get idle(): boolean {
    return this.#transmitter.idle;
  }

  /** Fills `out` with the next samples to send; gives `send-done` when the session's last queued signal ended. */
  transmit(out: Int16Array): readonly FrontEndInput[] {
    return this.#transmitter.transmit(out) ? SEND_DONE : NO_INPUTS;
  }

  /** The next samples heard on the line; while our own signal may be coming back, the receivers hear silence. */
  receive(samples: Int16Array): readonly FrontEndInput[] {
    this.#missing = 0;
    return this.#hear(this.#transmitter.echoing ? this.#silence(samples.length) : samples);
  }

  /** `count` samples that never arrived (a lost packet, or a far end that has stopped sending). */
  fillIn(count: number): readonly FrontEndInput[] {
    this.#missing += count;
    if (this.#missing > MAX_FILL_IN_SAMPLES || this.#transmitter.echoing) return this.#hear(this.#silence(count));
    return this.#heard(this.#receiver.fillIn(count));
  }

  #hear(samples: Int16Array): readonly FrontEndInput[] {
    return this.#heard(this.#receiver.receive(samples));
  }

  /** What follows from anything heard: phase A's end, and the far carrier's for our next signal's gap. */
  #heard(inputs: readonly FrontEndInput[]): readonly FrontEndInput[] {
    // The answerer's V.21 preamble ends phase A: CNG stops (SpanDSP does so after 8 flags, as faxd does).
    if (this.#receiver.takeFlagsHeard()) this.#transmitter.stopCallingTone();
    this.#transmitter.farEndQuiet(this.#receiver.farQuiet);
    return inputs;
  }

  #silence(count: number): Int16Array {
    if (this.#quiet.length < count) this.#quiet = new Int16Array(count);
    return this.#quiet.subarray(0, count);
  }
}
