// Test support: two audio fax stations joined sample to sample, one 20 ms packet per step each way, on the sample
// clock; each direction may pass through a path (G.711, RTP with loss and a jitter buffer) that can lose samples.

import type { AudioFaxStation } from '../audio-fax/audio-fax-station.js';

/** 20 ms at 8 kHz, the RTP packet time. */
export const PACKET_SAMPLES = 160;

/** What one direction of the line does to a packet: the samples that come out, and which of them were lost. */
export interface AudioPath {
  carry(samples: Int16Array): { readonly samples: Int16Array; readonly missing?: Uint8Array };
}

export interface AudioLinkOptions {
  /** Station a's signal on its way to b, and b's to a (default: untouched). */
  readonly aToB?: AudioPath;
  readonly bToA?: AudioPath;
  /** Give up after this much line time (default 10 minutes). */
  readonly limitMs?: number;
  /**
   * Each station also hears its own signal back, as a far hybrid reflects it: `delay` samples late (at most a packet)
   * and `lossDb` weaker. Default: no echo.
   */
  readonly echo?: { readonly delay: number; readonly lossDb: number };
}

export class AudioLink {
  /** Packets exchanged. */
  steps = 0;
  readonly #options: AudioLinkOptions;

  constructor(
    readonly a: AudioFaxStation,
    readonly b: AudioFaxStation,
    options: AudioLinkOptions = {},
  ) {
    this.#options = options;
  }

  /** Runs until both stations have finished or the time limit; each hears what the other sent one packet earlier. */
  run(): void {
    const limit = ((this.#options.limitMs ?? 600_000) * 8000) / 1000 / PACKET_SAMPLES;
    const echoA = this.#echo();
    const echoB = this.#echo();
    let fromA = new Int16Array(PACKET_SAMPLES);
    let fromB = new Int16Array(PACKET_SAMPLES);
    while (!(this.a.finished && this.b.finished) && this.steps < limit) {
      const toB = this.#options.aToB?.carry(fromA) ?? { samples: fromA };
      const toA = this.#options.bToA?.carry(fromB) ?? { samples: fromB };
      echoA?.(fromA, toA.samples);
      echoB?.(fromB, toB.samples);
      fromA = new Int16Array(PACKET_SAMPLES);
      fromB = new Int16Array(PACKET_SAMPLES);
      this.a.exchange(toA.samples, fromA, toA.missing);
      this.b.exchange(toB.samples, fromB, toB.missing);
      this.steps++;
    }
  }

  /** Adds a station's own last two packets, delayed and attenuated, to what it is about to hear. */
  #echo(): ((sent: Int16Array, heard: Int16Array) => void) | undefined {
    const echo = this.#options.echo;
    if (!echo) return undefined;
    const gain = 10 ** (-echo.lossDb / 20);
    const history = new Int16Array(2 * PACKET_SAMPLES);
    return (sent, heard) => {
      history.copyWithin(0, PACKET_SAMPLES);
      history.set(sent, PACKET_SAMPLES);
      for (let i = 0; i < heard.length; i++) {
        const value = heard[i]! + gain * history[PACKET_SAMPLES + i - echo.delay]!;
        heard[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
      }
    };
  }
}
