/**
 * The signal path shared by the PSK/QAM fax demodulators (V.27ter, V.29), after SpanDSP's receivers (audio-fax
 * reference §3.1): carrier detect, a band-pass matched filter read at T/2 instants that a Gardner detector moves
 * (symbol timing), AGC, a fractionally spaced LMS equaliser and a decision-directed carrier loop. What a burst's
 * symbols mean (training, data) is the demodulator's business (psk-demodulator.ts).
 */

import { cosineOfPhase, Nco, PHASE_CYCLE, phaseRateForHz, SAMPLE_RATE, sineOfPhase } from '../dsp/nco.js';
import { CarrierDetector, FAST_MODEM_CARRIER } from '../dsp/power-meter.js';
import { Equaliser } from './equaliser.js';
import { MatchedFilter } from './matched-filter.js';
import { ACQUIRE_GAINS, type LoopGains, type PskDemodulatorSpec } from './psk-demodulator-spec.js';

/** What a demodulator reports besides bits, in SpanDSP's terms (`SIG_STATUS_*`). */
export type PskDemodulatorEventKind = 'carrier-up' | 'training-succeeded' | 'training-failed' | 'carrier-down';

/** A report, `sample` counting every sample passed to `receive` and `fillIn` since construction (as V.21's). */
export interface PskDemodulatorEvent {
  readonly kind: PskDemodulatorEventKind;
  readonly sample: number;
  /** How many of the call's `bits` came before it. */
  readonly bitIndex: number;
}

export interface PskDemodulatorOutput {
  /** Data bits decided during this call, one element per bit, in line order; none until training succeeded. */
  readonly bits: Uint8Array;
  readonly events: readonly PskDemodulatorEvent[];
}

export const RADIANS_TO_PHASE = PHASE_CYCLE / (2 * Math.PI);
/** Averaging of the level the gain is set from while it runs (acquisition and seek), in symbols. */
const AGC_SYMBOLS = 8;
/** Room for the bits of one call of a few packets; it grows for longer calls. */
const BIT_BUFFER = 4096;
const NO_EVENTS: readonly PskDemodulatorEvent[] = [];

export abstract class PskSignalPath {
  /** Whether symbols are being made (a carrier is up), and whether the AGC still runs. */
  protected running = false;
  protected gainRunning = false;
  /** The gains of the stage the burst is in. */
  protected gains: LoopGains = ACQUIRE_GAINS;
  /** Symbols put out in the current stage. */
  protected symbols = 0;
  /** How many symbols the filter and the equaliser delay what they put out by. */
  protected readonly symbolDelay: number;
  private readonly detector: CarrierDetector;
  private readonly nco: Nco;
  private readonly baseRate: number;
  private readonly filter: MatchedFilter;
  private readonly equaliser: Equaliser;
  private readonly halfSymbol: number;
  private readonly samplesPerSymbol: number;
  /** Per-symbol constants worked out once: 1/|point|², the LMS step's scale, radians per symbol to DDS rate. */
  private readonly inversePower: Float64Array;
  private readonly lmsScale: number;
  private readonly offsetToRate: number;
  /** Symbols until the equaliser next adapts. */
  private untilAdapt = 1;
  /** Samples since the last T/2 instant; an instant falls when it reaches halfSymbol. */
  private position = 0;
  private timingRate = 0;
  private onSymbol = false;
  private gain = 1;
  /** Mean square of the matched filter's output at symbol instants, before the gain. */
  private level = 0;
  private midRe = 0;
  private midIm = 0;
  private lastRe = 0;
  private lastIm = 0;
  private meanPower = 1;
  /** Carrier loop: phase turned after the equaliser (DDS units) and frequency offset (radians per symbol). */
  private carrierPhase = 0;
  private carrierOffset = 0;
  /** What `savePath` kept. */
  private savedGain = 0;
  private savedTimingRate = 0;
  private savedCarrierOffset = 0;
  /** This call's bits and reports. */
  private out = new Uint8Array(BIT_BUFFER);
  private outCount = 0;
  private events: PskDemodulatorEvent[] | undefined;
  /** Samples received before this call, and the index of the one being worked on. */
  private samples = 0;
  private sampleIndex = 0;

  constructor(protected readonly spec: PskDemodulatorSpec) {
    // the centre tap must fall on a symbol instant, an even number of T/2 taps from either end
    if ((spec.equaliserTaps - 1) % 4 !== 0) throw new Error(`equaliser length ${spec.equaliserTaps} is not 4k + 1`);
    this.samplesPerSymbol = SAMPLE_RATE / spec.line.baud;
    this.halfSymbol = this.samplesPerSymbol / 2;
    this.inversePower = spec.pointsRe.map((re, k) => 1 / (re * re + spec.pointsIm[k]! * spec.pointsIm[k]! || 1));
    this.lmsScale = 1 / (spec.equaliserTaps * spec.line.meanSymbolPower);
    this.offsetToRate = RADIANS_TO_PHASE / this.samplesPerSymbol;
    this.symbolDelay = Math.round((spec.equaliserTaps >> 1) / 2 + (spec.filterTaps >> 1) / this.samplesPerSymbol);
    this.nco = new Nco(spec.line.carrierHz);
    this.baseRate = phaseRateForHz(spec.line.carrierHz);
    this.filter = new MatchedFilter(spec.filterTaps, this.samplesPerSymbol, 0.5, spec.line.carrierHz);
    this.equaliser = new Equaliser(spec.equaliserTaps);
    this.detector = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: spec.line.carrierHz });
  }

  /** Demodulates `samples` (any length): the data bits decided and the reports made meanwhile. */
  receive(samples: Int16Array): PskDemodulatorOutput {
    const filter = this.filter;
    const nco = this.nco;
    const detector = this.detector;
    const halfSymbol = this.halfSymbol;
    this.outCount = 0;
    this.events = undefined;
    // Per-sample state in locals through the loop (V8 keeps them in registers); the symbol path reads and writes the
    // fields, so they are exchanged around it.
    let phase = nco.phase;
    let position = this.position;
    let active = this.running;
    const length = samples.length;
    // the carrier detector runs ahead over the samples up to its next change, in a loop of its own
    let change = detector.updateUntilChange(samples, 0, length);
    for (let n = 0; n < length; n++) {
      const x = samples[n]!;
      if (n === change) {
        this.sampleIndex = this.samples + n;
        this.carrierChange(detector.present() ? 1 : -1);
        position = this.position;
        active = this.running;
        change = detector.updateUntilChange(samples, n + 1, length);
      }
      filter.push(x);
      if (active) {
        position += 1;
        if (position >= halfSymbol) {
          position -= halfSymbol;
          const delay = position < 0 ? 0 : position < 1 ? position : 0.999;
          filter.read(delay, (phase - delay * nco.rate) >>> 0);
          this.position = position;
          this.sampleIndex = this.samples + n;
          this.halfSymbolSample(filter.re * this.gain, filter.im * this.gain);
          position = this.position;
          active = this.running;
        }
      }
      phase = (phase + nco.rate) >>> 0;
    }
    nco.phase = phase;
    this.position = position;
    this.samples += samples.length;
    return { bits: this.out.slice(0, this.outCount), events: this.events ?? NO_EVENTS };
  }

  /**
   * A lost stretch of `count` samples (a lost packet): the carrier and symbol clock run on over it, no symbols are
   * made, the carrier stays up (audio-fax reference §4.3).
   */
  fillIn(count: number): void {
    this.samples += count;
    this.nco.advance(count);
    if (!this.running) return;
    this.position += count;
    const skipped = Math.floor(this.position / this.halfSymbol);
    this.position -= skipped * this.halfSymbol;
    const lostSymbols = (skipped + (this.onSymbol ? 0 : 1)) >> 1;
    if (skipped & 1) this.onSymbol = !this.onSymbol;
    this.symbolsLost(lostSymbols);
  }

  /** A carrier came (+1) or went (−1) at the current sample. */
  protected abstract carrierChange(change: number): void;
  /** The equaliser's output for one symbol, the carrier loop's phase applied. */
  protected abstract symbol(yRe: number, yIm: number): void;
  /** `count` symbols were lost to fill-in; their outputs would have come `symbolDelay` symbols from now. */
  protected abstract symbolsLost(count: number): void;

  /**
   * Back to the state a carrier's first sample finds: equaliser, gain, timing and carrier loop afresh, or (`saved`)
   * from the equaliser, gain, carrier frequency and symbol rate of the last `savePath`, as a short training starts.
   */
  protected resetPath(saved = false): void {
    if (saved) this.equaliser.restore();
    else this.equaliser.reset();
    this.gain = saved ? this.savedGain : 1 / 1024;
    this.timingRate = saved ? this.savedTimingRate : 0;
    this.carrierOffset = saved ? this.savedCarrierOffset : 0;
    this.setCarrierOffset();
    this.level = 0;
    this.meanPower = 1;
    this.position = 0;
    this.carrierPhase = 0;
  }

  /** Keeps what a trained burst has learnt of the line for the next burst's short training. */
  protected savePath(): void {
    this.equaliser.save();
    this.savedGain = this.gain;
    this.savedTimingRate = this.timingRate;
    this.savedCarrierOffset = this.carrierOffset;
  }

  /** Sets the carrier loop's frequency offset (radians per symbol) and turns its phase by `turn` radians. */
  protected setCarrier(offset: number, turn: number): void {
    this.carrierOffset = offset;
    this.setCarrierOffset();
    this.turnCarrier(turn);
  }

  /** Turns the carrier loop's phase by `turn` radians, its frequency as it is. */
  protected turnCarrier(turn: number): void {
    this.carrierPhase = (this.carrierPhase + Math.round(turn * RADIANS_TO_PHASE)) >>> 0;
  }

  /** A data bit out. */
  protected putBit(bit: number): void {
    if (this.outCount === this.out.length) {
      const grown = new Uint8Array(2 * this.out.length);
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.outCount++] = bit;
  }

  protected report(kind: PskDemodulatorEventKind): void {
    this.events ??= [];
    this.events.push({ kind, sample: this.sampleIndex, bitIndex: this.outCount });
  }

  private halfSymbolSample(re: number, im: number): void {
    this.equaliser.push(re, im);
    this.onSymbol = !this.onSymbol;
    if (!this.onSymbol) {
      this.midRe = re;
      this.midIm = im;
      return;
    }
    this.trackTiming(re, im);
    if (this.gainRunning) this.adjustGain(re, im);
    this.equaliser.evaluate();
    // the carrier loop's phase is applied here, after the equaliser, so it acts on this very symbol
    const c = cosineOfPhase(this.carrierPhase);
    const s = sineOfPhase(this.carrierPhase);
    const eq = this.equaliser;
    const yRe = eq.re * c + eq.im * s;
    const yIm = eq.im * c - eq.re * s;
    this.symbols++;
    this.symbol(yRe, yIm);
  }

  /** Gardner's detector on the matched filter's T/2 samples, normalised by the signal power. */
  private trackTiming(re: number, im: number): void {
    this.meanPower += (re * re + im * im - this.meanPower) / 16;
    const error = ((re - this.lastRe) * this.midRe + (im - this.lastIm) * this.midIm) / (this.meanPower + 1e-12);
    this.lastRe = re;
    this.lastIm = im;
    const clamped = Math.min(Math.max(error, -1), 1);
    this.timingRate += this.gains.timingI * clamped;
    this.position += (this.gains.timingP * clamped + this.timingRate) * this.samplesPerSymbol;
  }

  /** Carrier loop and equaliser step towards the constellation point `target`, from the output (yRe, yIm). */
  protected steer(target: number, yRe: number, yIm: number): void {
    const dRe = this.spec.pointsRe[target]!;
    const dIm = this.spec.pointsIm[target]!;
    const gains = this.gains;
    const phaseError = (yIm * dRe - yRe * dIm) * this.inversePower[target]!;
    // ToUint32 wraps a fractional or negative sum onto the phase circle, so no rounding is needed
    this.carrierPhase = (this.carrierPhase + gains.carrierP * phaseError * RADIANS_TO_PHASE) >>> 0;
    this.carrierOffset += gains.carrierI * phaseError;
    this.setCarrierOffset();
    if (gains.lms === 0 || --this.untilAdapt > 0) return;
    this.untilAdapt = gains.lmsEvery;
    // LMS on the equaliser's own (unturned) output: the error turned back by the loop's phase
    const eRe = dRe - yRe;
    const eIm = dIm - yIm;
    const c = cosineOfPhase(this.carrierPhase);
    const s = sineOfPhase(this.carrierPhase);
    const step = gains.lms * this.lmsScale;
    this.equaliser.adapt(eRe * c - eIm * s, eIm * c + eRe * s, step);
  }

  private setCarrierOffset(): void {
    this.nco.rate = (this.baseRate + this.carrierOffset * this.offsetToRate) >>> 0;
  }

  /** AGC while the gain runs: the level at symbol instants brought to the constellation's mean power. */
  private adjustGain(re: number, im: number): void {
    const raw = (re * re + im * im) / (this.gain * this.gain);
    this.level += (raw - this.level) / (this.symbols < AGC_SYMBOLS ? this.symbols + 1 : AGC_SYMBOLS);
    if (this.level > 0) this.gain = Math.sqrt(this.spec.line.meanSymbolPower / this.level);
  }
}
