// Generates the fax calling tone CNG and the answer tone CED (T.30 §5.2.1–5.2.2; levels and timing: audio-fax §1.1).
import { Nco, sineOfPhase } from '../modem/dsp/nco.js';
import { sinePeakForDbm0 } from '../modem/dsp/power-meter.js';
import type { FaxTone } from './fax-tone-detector.js';

/** Both tones go out at −11 dBm0, as SpanDSP sends them (T.30 allows −6 to −15). */
export const FAX_TONE_LEVEL_DBM0 = -11;

/** T.30 §5.2.1: CNG is 1100 Hz, on for 0.5 s and off for 3 s, repeated until the call is answered. */
const CNG = { hz: 1100, on: 4000, off: 24_000 } as const;

/**
 * T.30 §5.2.2: CED is 2100 Hz for 2.6–4 s, after at least 0.2 s of silence from answering (SpanDSP: 0.2 s, 2.6 s).
 * It is V.25's ANS without the phase reversals that disable echo cancellers: a G3 terminal sends it plain.
 */
const CED = { hz: 2100, silence: 1600, defaultOn: 20_800, minOn: 20_800, maxOn: 32_000 } as const;

export interface FaxToneGeneratorOptions {
  /** CED's length in samples, 20 800–32 000 (2.6–4 s); 20 800 unless given. CNG ignores it. */
  readonly cedSamples?: number;
  /** Level in dBm0 (FAX_TONE_LEVEL_DBM0 unless given). */
  readonly levelDbm0?: number;
}

/**
 * Fills buffers with a tone's cadence from the moment it starts: CNG repeats its burst forever, CED plays its
 * silence and tone once and is then done. Time is the count of samples generated.
 */
export class FaxToneGenerator {
  readonly tone: FaxTone;
  readonly #nco: Nco;
  readonly #peak: number;
  /** Samples into the current CNG cycle, or into the CED signal. */
  #position = 0;
  readonly #cedEnd: number;

  constructor(tone: FaxTone, options: FaxToneGeneratorOptions = {}) {
    const cedSamples = options.cedSamples ?? CED.defaultOn;
    if (!(cedSamples >= CED.minOn && cedSamples <= CED.maxOn)) {
      throw new RangeError(`CED of ${cedSamples} samples is outside T.30's 2.6–4 s`);
    }
    this.tone = tone;
    this.#nco = new Nco(tone === 'cng' ? CNG.hz : CED.hz);
    this.#peak = sinePeakForDbm0(options.levelDbm0 ?? FAX_TONE_LEVEL_DBM0);
    this.#cedEnd = CED.silence + cedSamples;
  }

  /** Whether a CED has been played out entirely (never for CNG). */
  get done(): boolean {
    return this.tone === 'ced' && this.#position >= this.#cedEnd;
  }

  /** Writes the next `out.length` samples; after a CED has ended they are silence. */
  generate(out: Int16Array): void {
    const nco = this.#nco;
    const peak = this.#peak;
    const cng = this.tone === 'cng';
    let position = this.#position;
    for (let i = 0; i < out.length; i++) {
      const on = cng ? position < CNG.on : position >= CED.silence && position < this.#cedEnd;
      if (on) {
        out[i] = Math.round(peak * sineOfPhase(nco.phase));
        nco.step();
      } else out[i] = 0;
      position++;
      if (cng && position === CNG.on + CNG.off) position = 0;
    }
    this.#position = cng ? position : Math.min(position, this.#cedEnd);
  }
}
