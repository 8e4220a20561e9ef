// The transmit half of the audio fax front end (T.30 §5.3, §5.3.2; audio-fax reference §1.3, §5.1): the session's
// transmissions become line samples in order, each after 75 ms of silence, V.21 bursts with their flag preamble and
// image bursts with the modem's training; the answer tone CED and the calling tone CNG are played for phase A.

import { FaxToneGenerator } from '../audio/fax-tone-generator.js';
import { encodeV21Burst } from '../modem/v21/v21-hdlc.js';
import { V21Modulator } from '../modem/v21/v21-modulator.js';
import { decodeFcf } from '../t30/frames/fcf.js';
import type { LineModem, PageDataReader, T30LineOutput } from '../t30/front-end.js';
import { type ImageModulator, imageModulator } from './image-modems.js';
import { bitsOfOctets } from './line-bits.js';

export type AudioTransmission = Extract<T30LineOutput, { type: 'send-hdlc' | 'send-tcf' | 'send-image' }>;

/** A signal on the line: writes samples from out[0] and returns how many; fewer than asked once it has ended. */
interface LineSignal {
  fill(out: Int16Array): number;
}

/**
 * T.30 §5.3.2.1: 75 ± 20 ms between signals, counted from the end of the last one on the line, ours or the far end's
 * (a V.21 frame is complete at its closing flag, while the far carrier still runs on for its last flags).
 */
export const GAP_SAMPLES = 600;

/**
 * T.30 §5.3.1: a V.21 burst opens with 1 s ± 15 % of flags. 34 flags (907 ms) keep a margin inside the tolerance while
 * costing little more than SpanDSP's 32 (853 ms), over the dozen bursts of a call.
 */
const V21_PREAMBLE_FLAGS = 34;

/** A far carrier that never stops (noise above the threshold, a stuck peer) holds our next signal back no longer. */
const MAX_FAR_END_WAIT_SAMPLES = 8000;

/**
 * An HDLC burst on an image modem (ECM) starts with 200 ms of flags after the training, as SpanDSP sends it (bit
 * rate / 40 flag octets), so the receiver's deframer is in step before the first frame.
 */
const IMAGE_PREAMBLE_SECONDS = 0.2;
const CLOSING_FLAGS = 2;

/**
 * How long after one of its own signals a station stays deaf to the line: a far hybrid sends the signal back 10–50 ms
 * later (audio-fax reference §6.2), and the far end's answer cannot start before its own 75 ms gap has passed.
 */
export const ECHO_TAIL_SAMPLES = 480;

/** CED is played in steps of this many samples: its silence and tone are whole 5 ms, so it ends on a step. */
const CED_STEP = 40;

/**
 * Bits an image burst is given ahead of the samples it is asked for, beyond their share at the bit rate: the
 * modulator sends 1s if its queue runs dry before `end`, which would corrupt a page, while bits given early only wait.
 */
const FEED_MARGIN_BITS = 16;

class V21Burst implements LineSignal {
  readonly #modulator = new V21Modulator();

  constructor(frames: readonly Uint8Array[]) {
    this.#modulator.send(encodeV21Burst(frames, { preambleFlags: V21_PREAMBLE_FLAGS }));
  }

  fill(out: Int16Array): number {
    return this.#modulator.modulate(out);
  }
}

/** An image modem burst: training, bits pulled from `next` at the bit rate until it gives none, shutdown. */
class ImageBurst implements LineSignal {
  readonly #modulator: ImageModulator;
  readonly #bitRate: number;
  readonly #next: (maxBits: number) => Uint8Array;
  #ended = false;

  constructor(modem: LineModem, longTraining: boolean, next: (maxBits: number) => Uint8Array) {
    this.#modulator = imageModulator(modem, longTraining);
    this.#bitRate = modem.bitRate;
    this.#next = next;
  }

  fill(out: Int16Array): number {
    if (!this.#ended) {
      const bits = this.#next(Math.ceil((out.length * this.#bitRate) / 8000) + FEED_MARGIN_BITS);
      if (bits.length > 0) this.#modulator.send(bits);
      else {
        this.#modulator.end();
        this.#ended = true;
      }
    }
    return this.#modulator.modulate(out);
  }
}

/** Hands out `bits` in pieces of at most the size asked for. */
function fromBits(bits: Uint8Array): (maxBits: number) => Uint8Array {
  let at = 0;
  return (maxBits) => {
    const piece = bits.subarray(at, Math.min(bits.length, at + maxBits));
    at += piece.length;
    return piece;
  };
}

/** Pulls the page's octets from its reader as the modem needs them (whole octets, so a little ahead). */
function fromPage(data: PageDataReader): (maxBits: number) => Uint8Array {
  return (maxBits) => bitsOfOctets(data.read(Math.ceil(maxBits / 8)));
}

class CedTone implements LineSignal {
  readonly #generator = new FaxToneGenerator('ced');

  fill(out: Int16Array): number {
    let at = 0;
    while (at < out.length && !this.#generator.done) {
      const step = Math.min(CED_STEP, out.length - at);
      this.#generator.generate(out.subarray(at, at + step));
      at += step;
    }
    return at;
  }
}

export class AudioTransmitter {
  readonly #queue: AudioTransmission[] = [];
  #current: LineSignal | undefined;
  /** Whether the signal on the line is one the session queued (its end may be the session's `send-done`). */
  #currentFromSession = false;
  /** CNG, played while nothing else is on the line until `stopCallingTone`. */
  #callingTone: FaxToneGenerator | undefined;
  /** Samples of quiet line since the last signal ended, ours or the far end's, toward the gap before the next. */
  #silence = GAP_SAMPLES;
  /** Samples the next queued transmission has waited for the line to go quiet. */
  #waited = 0;
  /** The image modem and rate that last trained long (TCF); later bursts at that rate may train short. */
  #trainedRate: string | undefined;
  /** Samples of echo tail still to sit out since the last session signal ended. */
  #echoTail = 0;

  /** Phase A of the answering station: 200 ms of silence, then CED for 2.6 s; the session's first signal follows. */
  startAnswerTone(): void {
    this.#current = new CedTone();
    this.#currentFromSession = false;
  }

  /** Phase A of the calling station: CNG, 0.5 s on and 3 s off, until the far end is heard or we transmit. */
  startCallingTone(): void {
    this.#callingTone = new FaxToneGenerator('cng');
  }

  stopCallingTone(): void {
    if (!this.#callingTone) return;
    // A burst cut short is a signal that ended now: the next one waits its gap from here.
    this.#callingTone = undefined;
    this.#silence = 0;
  }

  queue(transmission: AudioTransmission): void {
    this.stopCallingTone();
    this.#queue.push(transmission);
  }

  /** The far end's carrier stopped `samples` ago (0: it is on): our next signal waits for the gap after it. */
  farEndQuiet(samples: number): void {
    this.#silence = Math.min(this.#silence, samples);
  }

  /** Drops the queue and whatever is on the line. */
  stop(): void {
    this.#queue.length = 0;
    if (this.#current) this.#silence = 0;
    this.#current = undefined;
  }

  /** Nothing on the line or queued (CNG aside). */
  get idle(): boolean {
    return this.#current === undefined && this.#queue.length === 0;
  }

  /**
   * Whether what the line brings now may be our own session signal coming back: one is on the line, or ended within
   * the echo tail. T.30 is half duplex, so nothing the far end sends meanwhile is for us (CNG and CED excepted: the
   * caller listens for the answerer's DIS while its CNG plays).
   */
  get echoing(): boolean {
    return (this.#current !== undefined && this.#currentFromSession) || this.#echoTail > 0;
  }

  /**
   * Fills `out` with the line's next samples; true when the last queued session signal ended in them (the session's
   * `send-done`).
   */
  transmit(out: Int16Array): boolean {
    let drained = false;
    let at = 0;
    while (at < out.length) {
      const due = this.#silence >= GAP_SAMPLES || this.#waited >= MAX_FAR_END_WAIT_SAMPLES;
      if (!this.#current && this.#queue.length > 0 && due) {
        this.#current = this.#signalFor(this.#queue.shift() as AudioTransmission);
        this.#currentFromSession = true;
        this.#waited = 0;
      }
      if (!this.#current) {
        const room = out.length - at;
        const count = this.#queue.length > 0 ? Math.max(1, Math.min(room, GAP_SAMPLES - this.#silence)) : room;
        const quiet = out.subarray(at, at + count);
        if (this.#callingTone) this.#callingTone.generate(quiet);
        else quiet.fill(0);
        this.#silence += count;
        if (this.#queue.length > 0) this.#waited += count;
        this.#echoTail = Math.max(0, this.#echoTail - count);
        at += count;
        continue;
      }
      const written = this.#current.fill(out.subarray(at));
      at += written;
      if (at < out.length || written === 0) {
        if (this.#currentFromSession) {
          drained = this.#queue.length === 0;
          this.#echoTail = ECHO_TAIL_SAMPLES;
        }
        this.#current = undefined;
        this.#silence = 0;
      }
    }
    return drained;
  }

  #signalFor(transmission: AudioTransmission): LineSignal {
    const { modem } = transmission;
    switch (transmission.type) {
      case 'send-hdlc': {
        if (modem.modem === 'v21') {
          // CTC announces new training for the image burst after CTR (T.30 Annex A.4.1.4), which is long.
          if (transmission.frames.some((frame) => decodeFcf(frame[2] ?? 0)?.name === 'CTC'))
            this.#trainedRate = undefined;
          return new V21Burst(transmission.frames);
        }
        const preambleFlags = Math.ceil((modem.bitRate * IMAGE_PREAMBLE_SECONDS) / 8);
        const bits = encodeV21Burst(transmission.frames, { preambleFlags, closingFlags: CLOSING_FLAGS });
        return new ImageBurst(modem, this.#longTraining(modem), fromBits(bits));
      }
      case 'send-tcf': {
        // TCF: long training, then zeros for the duration at the new rate (T.30 §5.3.2.1 f).
        this.#trainedRate = undefined;
        this.#longTraining(modem);
        const zeros = new Uint8Array(Math.round((modem.bitRate * transmission.durationMs) / 1000));
        return new ImageBurst(modem, true, fromBits(zeros));
      }
      case 'send-image':
        return new ImageBurst(modem, this.#longTraining(modem), fromPage(transmission.data));
    }
  }

  /**
   * V.17 trains long for TCF, after CTC and on a new rate, and short for later bursts at the rate it last trained long
   * on (audio-fax reference §1.3); the far receiver keeps what it learnt from that long training.
   */
  #longTraining(modem: LineModem): boolean {
    const rate = `${modem.modem}/${modem.bitRate}`;
    const long = rate !== this.#trainedRate;
    this.#trainedRate = rate;
    return long;
  }
}
