/**
 * The receive half shared by the PSK/QAM fax modems (V.27ter, V.29), after SpanDSP's receivers (audio-fax
 * reference §3.1): carrier detect, mixing down with a DDS carrier, a matched filter read at T/2 instants that a
 * Gardner detector moves (symbol timing), a fractionally spaced LMS equaliser, a decision-directed carrier loop,
 * and the training every burst starts with. Each modem supplies its training targets and its bit decoding.
 */

import { cosineOfPhase, Nco, PHASE_CYCLE, phaseRateForHz, SAMPLE_RATE, sineOfPhase } from '../dsp/nco.js';
import { CarrierDetector, FAST_MODEM_CARRIER } from '../dsp/power-meter.js';
import { Equaliser } from './equaliser.js';
import { MatchedFilter } from './matched-filter.js';
import { ACQUIRE_GAINS, DATA_GAINS, type PskDemodulatorSpec, TRAIN_GAINS } from './psk-demodulator-spec.js';
import type { Scrambler } from './scrambler.js';
import { Slicer } from './slicer.js';

export type { PskDemodulatorSpec } from './psk-demodulator-spec.js';

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

type RxState = 'idle' | 'acquire' | 'seek' | 'train' | 'test' | 'data';

/**
 * Alternate symbols that must agree (within 60°) in a row before a jump between them counts as the start of the
 * training: noise above the carrier threshold, which brings the carrier up before the signal, rarely agrees.
 */
const SEEK_RUN = 10;
/** Symbols over which the drift between alternate symbols is averaged for the carrier's frequency offset. */
const DRIFT_SYMBOLS = 16;
/** A carrier more than this far off nominal is not the modem's (SpanDSP's plausibility limit). */
const MAX_CARRIER_OFFSET_HZ = 20;
const RADIANS_TO_PHASE = PHASE_CYCLE / (2 * Math.PI);
/** Averaging of the level the gain is set from while it runs (acquisition and seek), in symbols. */
const AGC_SYMBOLS = 8;

/** Room for the bits of one call of a few packets; it grows for longer calls. */
const BIT_BUFFER = 4096;
const NO_EVENTS: readonly PskDemodulatorEvent[] = [];

export abstract class PskDemodulator {
  private state: RxState = 'idle';
  private readonly detector: CarrierDetector;
  private readonly nco: Nco;
  private readonly baseRate: number;
  private readonly filter: MatchedFilter;
  private readonly equaliser: Equaliser;
  private readonly slicer: Slicer;
  private readonly halfSymbol: number;
  private readonly samplesPerSymbol: number;
  /** Per-symbol constants worked out once: 1/|point|², the LMS step's scale, radians per symbol to DDS rate. */
  private readonly inversePower: Float64Array;
  private readonly lmsScale: number;
  private readonly offsetToRate: number;
  /** Symbols until the equaliser next adapts. */
  private untilAdapt = 1;
  private gains = ACQUIRE_GAINS;
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
  private symbols = 0;
  /** The equaliser's previous two outputs, for the phase jump that marks the training. */
  private previousRe = 0;
  private previousIm = 0;
  private olderRe = 0;
  private olderIm = 0;
  private driftRe = 0;
  private driftIm = 0;
  private agreeing = 0;
  private failureReported = false;
  private testError = 0;
  /** This call's bits and reports. */
  private out = new Uint8Array(BIT_BUFFER);
  private outCount = 0;
  private events: PskDemodulatorEvent[] | undefined;
  /** Samples received before this call, and the index of the one being worked on. */
  private samples = 0;
  private sampleIndex = 0;
  /** What each state does with an equaliser output, one handler per state. */
  private readonly handlers: Record<RxState, (yRe: number, yIm: number) => void> = {
    idle: () => {},
    acquire: () => this.acquire(),
    seek: (yRe, yIm) => this.seek(yRe, yIm),
    train: (yRe, yIm) => this.train(yRe, yIm),
    test: (yRe, yIm) => this.test(yRe, yIm),
    data: (yRe, yIm) => this.data(yRe, yIm),
  };

  constructor(
    private readonly spec: PskDemodulatorSpec,
    /** Generates the training's scrambled symbols, then descrambles the data. */
    protected readonly scrambler: Scrambler,
  ) {
    this.samplesPerSymbol = SAMPLE_RATE / spec.line.baud;
    this.halfSymbol = this.samplesPerSymbol / 2;
    this.inversePower = spec.pointsRe.map((re, k) => 1 / (re * re + spec.pointsIm[k]! * spec.pointsIm[k]! || 1));
    this.lmsScale = 1 / (spec.equaliserTaps * spec.line.meanSymbolPower);
    this.offsetToRate = RADIANS_TO_PHASE / this.samplesPerSymbol;
    this.nco = new Nco(spec.line.carrierHz);
    this.baseRate = phaseRateForHz(spec.line.carrierHz);
    this.filter = new MatchedFilter(spec.filterTaps, this.samplesPerSymbol, 0.5, spec.line.carrierHz);
    this.equaliser = new Equaliser(spec.equaliserTaps);
    this.slicer = new Slicer(spec.slicerPoints, spec.pointsRe, spec.pointsIm);
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
    let active = this.state !== 'idle';
    for (let n = 0; n < samples.length; n++) {
      const x = samples[n]!;
      const change = detector.update(x);
      if (change !== 0) {
        this.sampleIndex = this.samples + n;
        this.carrierChange(change);
        position = this.position;
        active = this.state !== 'idle';
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
          active = this.state !== 'idle';
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
    if (this.state === 'idle') return;
    this.position += count;
    const skipped = Math.floor(this.position / this.halfSymbol);
    this.position -= skipped * this.halfSymbol;
    if (skipped & 1) this.onSymbol = !this.onSymbol;
  }

  /** Sets the subclass's training state for symbol `index` after the jump, and returns its constellation index. */
  protected abstract trainingTarget(index: number): number;
  /** The constellation index of the symbol the transmitter maps `bits` (scrambled, first most significant) to. */
  protected abstract mapTarget(bits: number): number;
  /** The line bits (first most significant) of a decided data symbol. */
  protected abstract decode(index: number): number;

  /** The training's scrambled 1s: the receiver's scrambler runs as the transmitter's until data starts. */
  private onesTarget(): number {
    let bits = 0;
    for (let i = 0; i < this.spec.bitsPerSymbol; i++) bits = (bits << 1) | this.scrambler.scramble(1);
    return this.mapTarget(bits);
  }

  private putLineBits(bits: number): void {
    for (let i = this.spec.bitsPerSymbol - 1; i >= 0; i--) {
      if (this.outCount === this.out.length) {
        const grown = new Uint8Array(2 * this.out.length);
        grown.set(this.out);
        this.out = grown;
      }
      this.out[this.outCount++] = this.scrambler.descramble((bits >> i) & 1);
    }
  }

  private report(kind: PskDemodulatorEventKind): void {
    this.events ??= [];
    this.events.push({ kind, sample: this.sampleIndex, bitIndex: this.outCount });
  }

  private carrierChange(change: number): void {
    if (change > 0) {
      this.failureReported = false;
      this.restart();
      this.report('carrier-up');
    } else {
      this.state = 'idle';
      this.report('carrier-down');
    }
  }

  private restart(): void {
    this.equaliser.reset();
    this.nco.rate = this.baseRate;
    this.gain = 1 / 1024;
    this.level = 0;
    this.meanPower = 1;
    this.position = 0;
    this.timingRate = 0;
    this.carrierPhase = 0;
    this.carrierOffset = 0;
    this.symbols = 0;
    this.driftRe = 0;
    this.driftIm = 0;
    this.agreeing = 0;
    this.enter('acquire');
  }

  private enter(state: RxState): void {
    this.state = state;
    this.symbols = 0;
    this.gains = state === 'acquire' || state === 'seek' ? ACQUIRE_GAINS : state === 'data' ? DATA_GAINS : TRAIN_GAINS;
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
    if (this.state === 'acquire' || this.state === 'seek') this.adjustGain(re, im);
    this.equaliser.evaluate();
    // the carrier loop's phase is applied here, after the equaliser, so it acts on this very symbol
    const c = cosineOfPhase(this.carrierPhase);
    const s = sineOfPhase(this.carrierPhase);
    const eq = this.equaliser;
    const yRe = eq.re * c + eq.im * s;
    const yIm = eq.im * c - eq.re * s;
    this.symbols++;
    this.handlers[this.state](yRe, yIm);
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
  private steer(target: number, yRe: number, yIm: number): void {
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

  /** Timing settles with the gain running. */
  private acquire(): void {
    if (this.symbols >= this.spec.acquisitionSymbols) this.enter('seek');
  }

  /**
   * Both modems' trainings start with a pattern whose alternate symbols agree (reversals, A/B) and switch into one
   * whose first symbol turns 180° against the one two before it. Until then the drift between alternate symbols
   * measures the carrier's frequency offset.
   */
  private seek(yRe: number, yIm: number): void {
    const pRe = yRe * this.olderRe + yIm * this.olderIm;
    const pIm = yIm * this.olderRe - yRe * this.olderIm;
    const magnitude = Math.sqrt((yRe * yRe + yIm * yIm) * (this.olderRe * this.olderRe + this.olderIm * this.olderIm));
    this.olderRe = this.previousRe;
    this.olderIm = this.previousIm;
    this.previousRe = yRe;
    this.previousIm = yIm;
    if (pRe > 0.5 * magnitude) {
      this.agreeing++;
      // the latest symbols weigh most: early in the run timing and gain may still be settling, which biases the angle
      this.driftRe += pRe - this.driftRe / DRIFT_SYMBOLS;
      this.driftIm += pIm - this.driftIm / DRIFT_SYMBOLS;
      return;
    }
    const run = this.agreeing;
    const offset = Math.atan2(this.driftIm, this.driftRe) / 2;
    this.agreeing = 0;
    this.driftRe = this.driftIm = 0;
    if (pRe >= 0 || run < SEEK_RUN) return;
    if (Math.abs(offset) > (2 * Math.PI * MAX_CARRIER_OFFSET_HZ) / this.spec.line.baud) {
      this.fail();
      return;
    }
    this.carrierOffset = offset;
    this.setCarrierOffset();
    // turn the carrier so this symbol lands on the training's first point
    const target = this.trainingTarget(0);
    const dRe = this.spec.pointsRe[target]!;
    const dIm = this.spec.pointsIm[target]!;
    const turn = Math.atan2(yIm * dRe - yRe * dIm, yRe * dRe + yIm * dIm);
    this.carrierPhase = (this.carrierPhase + Math.round(turn * RADIANS_TO_PHASE)) >>> 0;
    this.enter('train');
    this.symbols = 1;
    const c = Math.cos(turn);
    const s = Math.sin(turn);
    this.steer(target, yRe * c + yIm * s, yIm * c - yRe * s);
  }

  private train(yRe: number, yIm: number): void {
    this.steer(this.trainingTarget(this.symbols - 1), yRe, yIm);
    if (this.symbols === this.spec.trainingSymbols) {
      this.enter('test');
      this.testError = 0;
    }
  }

  private test(yRe: number, yIm: number): void {
    const target = this.onesTarget();
    const dRe = yRe - this.spec.pointsRe[target]!;
    const dIm = yIm - this.spec.pointsIm[target]!;
    this.testError += dRe * dRe + dIm * dIm;
    this.steer(target, yRe, yIm);
    if (this.symbols < this.spec.onesSymbols) return;
    if (this.testError / this.spec.onesSymbols < this.spec.passError) {
      this.enter('data');
      this.report('training-succeeded');
    } else this.fail();
  }

  private data(yRe: number, yIm: number): void {
    const index = this.slicer.slice(yRe, yIm);
    this.steer(index, yRe, yIm);
    this.putLineBits(this.decode(index));
  }

  /**
   * Training failed: say so once per carrier and look for a training again (what failed may have been noise ahead
   * of the signal).
   */
  private fail(): void {
    if (!this.failureReported) this.report('training-failed');
    this.failureReported = true;
    this.restart();
  }
}
