// Detects the fax calling tone CNG and the answer tone CED/ANS (T.30 §5.2.1–5.2.2, V.25 ANS; audio-fax §1.1, §4.1).
import { SAMPLE_RATE } from '../modem/dsp/nco.js';
import { meanSquareForDbm0 } from '../modem/dsp/power-meter.js';

/** A fax connect tone: CNG, 1100 Hz from the caller; CED, 2100 Hz from the answerer. */
export type FaxTone = 'cng' | 'ced';

/** `on` when a tone has lasted long enough to count, `off` when it stops after that; `at` is a sample count. */
export interface FaxToneEvent {
  readonly tone: FaxTone;
  readonly kind: 'on' | 'off';
  readonly at: number;
}

interface ToneSpec {
  readonly hz: number;
  /** Samples per Goertzel block: a whole number of the tone's cycles, and short enough to pass its tolerance. */
  readonly block: number;
  /** Consecutive tone blocks before the tone is reported. */
  readonly minBlocks: number;
}

/**
 * Block lengths set the bandwidth: a tone δ bins off the block's bin keeps sinc²(δ) of its power, and a block passes
 * at half, so 80 samples (10 ms, 100 Hz bins) pass 1100 ± 44 Hz, covering CNG's ±38 Hz, and 160 samples (20 ms) pass
 * 2100 ± 22 Hz, covering CED's ±15 Hz. The neighbours a line carries most often, 1000 Hz and 2000 Hz, fall exactly
 * on a null of each.
 *
 * Durations: CNG is 0.5 s ± 15 % on; SpanDSP reports it after 415 ms. 400 ms of whole 10 ms blocks fit inside the
 * shortest legal burst (425 ms) however it straddles the block edges. CED lasts 2.6–4 s; SpanDSP reports plain ANS
 * after 550 ms, faxd after 28 blocks (560 ms) — long enough that speech, which never holds one pitch that long, is
 * refused.
 */
const TONES: Readonly<Record<FaxTone, ToneSpec>> = {
  cng: { hz: 1100, block: 80, minBlocks: 40 },
  ced: { hz: 2100, block: 160, minBlocks: 28 },
};

/** The share of a block's power the tone's bin must hold: half, which a pure tone at the tolerance's edge still has. */
const MIN_TONE_SHARE = 0.5;

/** The least level that counts, −43 dBm0 as SpanDSP's connect-tone detector has it (a mean |x| of 70). */
const MIN_MEAN_SQUARE = meanSquareForDbm0(-43);

const NO_EVENTS: readonly FaxToneEvent[] = [];

/**
 * A Goertzel filter at the tone's frequency over fixed blocks, compared with the block's total power: a block counts
 * as tone when it is loud enough and the tone holds at least half its power (noise, speech, silence and other tones
 * do not), and the tone is reported once enough blocks in a row count (one failed block between them is forgiven).
 * Samples go in as they arrive, in chunks of any size; time is the count of samples taken.
 */
export class FaxToneDetector {
  readonly tone: FaxTone;
  readonly #block: number;
  readonly #minBlocks: number;
  /** 2·cos(2π·f/fs), the Goertzel recursion's coefficient. */
  readonly #coefficient: number;
  #s1 = 0;
  #s2 = 0;
  #energy = 0;
  #filled = 0;
  #run = 0;
  /** Failed blocks in a row. */
  #misses = 0;
  #present = false;
  #samples = 0;

  constructor(tone: FaxTone) {
    const spec = TONES[tone];
    this.tone = tone;
    this.#block = spec.block;
    this.#minBlocks = spec.minBlocks;
    this.#coefficient = 2 * Math.cos((2 * Math.PI * spec.hz) / SAMPLE_RATE);
  }

  /** Whether the tone is present now (reported `on` and not yet `off`). */
  get present(): boolean {
    return this.#present;
  }

  /** Takes the next samples of the line and returns what changed in them (usually nothing). */
  receive(samples: Int16Array): readonly FaxToneEvent[] {
    let events: FaxToneEvent[] | undefined;
    const coefficient = this.#coefficient;
    let s1 = this.#s1;
    let s2 = this.#s2;
    let energy = this.#energy;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      const s0 = x + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += x * x;
      if (++this.#filled < this.#block) continue;
      const event = this.#judgeBlock(s1, s2, energy, this.#samples + i + 1);
      if (event) {
        events ??= [];
        events.push(event);
      }
      s1 = 0;
      s2 = 0;
      energy = 0;
      this.#filled = 0;
    }
    this.#s1 = s1;
    this.#s2 = s2;
    this.#energy = energy;
    this.#samples += samples.length;
    return events ?? NO_EVENTS;
  }

  #judgeBlock(s1: number, s2: number, energy: number, at: number): FaxToneEvent | undefined {
    const n = this.#block;
    // |X(f)|² of the block; a sine of amplitude A on the bin gives (A·N/2)², and its energy Σx² is A²·N/2, so the
    // share below is 1 for a pure tone on the bin and sinc²(δ) for one δ bins away.
    const power = s1 * s1 + s2 * s2 - this.#coefficient * s1 * s2;
    const share = energy > 0 ? power / ((n / 2) * energy) : 0;
    const isTone = energy >= MIN_MEAN_SQUARE * n && share >= MIN_TONE_SHARE;
    if (isTone) {
      this.#misses = 0;
      this.#run++;
      if (!this.#present && this.#run >= this.#minBlocks) {
        this.#present = true;
        return { tone: this.tone, kind: 'on', at };
      }
      return undefined;
    }
    // V.25's ANS/ and V.8's ANSam/, which V.34 fax machines answer with, turn the phase by 180° every 450 ms; each
    // reversal spoils the one block that straddles it. Bridging a single failed block lets a calling faxd know those
    // answer tones too; two in a row end the tone.
    this.#misses++;
    if (this.#misses === 1 && this.#run > 0) return undefined;
    this.#run = 0;
    if (!this.#present) return undefined;
    this.#present = false;
    return { tone: this.tone, kind: 'off', at: at - this.#misses * n };
  }
}
