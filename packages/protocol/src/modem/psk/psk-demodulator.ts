/**
 * The PSK/QAM fax demodulators' handling of a burst (audio-fax reference §3.4–§3.5, §4.2), on the shared signal
 * path: acquisition, the jump into the known training, training on it, the test on scrambled 1s, then data; a
 * failed training looks again. Each modem supplies its training targets and its bit decoding.
 */

import { ACQUIRE_GAINS, DATA_GAINS, type PskDemodulatorSpec, TRAIN_GAINS } from './psk-demodulator-spec.js';
import { PskSignalPath } from './psk-signal-path.js';
import type { Scrambler } from './scrambler.js';
import { Slicer } from './slicer.js';

export type { PskDemodulatorSpec } from './psk-demodulator-spec.js';
export type { PskDemodulatorEvent, PskDemodulatorEventKind, PskDemodulatorOutput } from './psk-signal-path.js';

type RxState = 'idle' | 'acquire' | 'seek' | 'train' | 'test' | 'data';
type SymbolHandler = (rx: PskDemodulator, yRe: number, yIm: number) => void;

/**
 * Alternate symbols that must agree (within 60°) in a row before a jump between them counts as the start of the
 * training: noise above the carrier threshold, which brings the carrier up before the signal, rarely agrees.
 */
const SEEK_RUN = 10;
/** Symbols over which the drift between alternate symbols is averaged for the carrier's frequency offset. */
const DRIFT_SYMBOLS = 16;
/** A carrier more than this far off nominal is not the modem's (SpanDSP's plausibility limit). */
const MAX_CARRIER_OFFSET_HZ = 20;
/** Symbols the running mean of the training error spans. */
const RECENT_ERROR_SYMBOLS = 16;

export abstract class PskDemodulator extends PskSignalPath {
  private state: RxState = 'idle';
  private readonly slicer: Slicer;
  /** Symbols lost to fill-in during training, and the outputs still to come from before the loss. */
  private lostSymbols = 0;
  private outputsBeforeLoss = 0;
  /** Outputs after a fill-in that the training's error measures leave out. */
  private untrusted = 0;
  /** The equaliser's previous two outputs, for the phase jump that marks the training. */
  private previousRe = 0;
  private previousIm = 0;
  private olderRe = 0;
  private olderIm = 0;
  private driftRe = 0;
  private driftIm = 0;
  private agreeing = 0;
  private failureReported = false;
  /** Whether the next training is short (spec.shortTrainingSymbols), from the last trained burst's signal path. */
  private short = false;
  private testError = 0;
  private testCount = 0;
  /** Running mean of the squared error against the known training symbols. */
  private recentError = 0;
  /**
   * What each state does with an equaliser output, one handler per state. Static, so each is one function V8 can
   * inline wherever it is called, not a closure per demodulator.
   */
  private static readonly HANDLERS = {
    idle: () => {},
    acquire: (rx: PskDemodulator) => rx.acquire(),
    seek: (rx: PskDemodulator, yRe: number, yIm: number) => rx.seek(yRe, yIm),
    train: (rx: PskDemodulator, yRe: number, yIm: number) => rx.train(yRe, yIm),
    test: (rx: PskDemodulator, yRe: number, yIm: number) => rx.test(yRe, yIm),
    data: (rx: PskDemodulator, yRe: number, yIm: number) => rx.data(yRe, yIm),
  } satisfies Record<RxState, SymbolHandler>;
  /** The current state's handler, looked up once per state change rather than by name on every symbol. */
  private handler: SymbolHandler = PskDemodulator.HANDLERS.idle;

  constructor(
    spec: PskDemodulatorSpec,
    /** Generates the training's scrambled symbols, then descrambles the data. */
    protected readonly scrambler: Scrambler,
  ) {
    super(spec);
    this.slicer = new Slicer(spec.slicerPoints, spec.pointsRe, spec.pointsIm);
  }

  protected symbol(yRe: number, yIm: number): void {
    if (this.lostSymbols > 0 && --this.outputsBeforeLoss < 0) this.skipLostSymbols();
    this.handler(this, yRe, yIm);
  }

  protected symbolsLost(count: number): void {
    if (this.state === 'train' || this.state === 'test') {
      // the training's known sequence steps over them once the outputs reach them
      this.lostSymbols += count;
      this.outputsBeforeLoss = this.symbolDelay;
    } else if (this.state === 'seek') {
      // alternate symbols across the loss are no guide to the jump that marks the training
      this.untrusted = this.symbolDelay + 2;
      this.agreeing = 0;
    }
  }

  /** Sets the subclass's training state for symbol `index` after the jump, and returns its constellation index. */
  protected abstract trainingTarget(index: number): number;
  /** The constellation index of the symbol the transmitter maps `bits` (scrambled, first most significant) to. */
  protected abstract mapTarget(bits: number): number;
  /**
   * The line bits (first most significant) of a data symbol: the slicer's `index`, or the equalised (yRe, yIm) for a
   * decoder of its own (V.17's Viterbi decoder); −1 when it puts out no bits for this symbol.
   */
  protected abstract decode(index: number, yRe: number, yIm: number): number;

  /** The next burst trains long, whatever came before (SpanDSP: `v17_rx_restart` with long training). */
  trainLong(): void {
    this.short = false;
  }

  /** Whether the training under way is the short one. */
  protected get shortTraining(): boolean {
    return this.short;
  }

  private get trainingSymbols(): number {
    return this.short ? this.spec.shortTrainingSymbols! : this.spec.trainingSymbols;
  }

  /** The training's scrambled 1s: the receiver's scrambler runs as the transmitter's until data starts. */
  private onesTarget(): number {
    let bits = 0;
    for (let i = 0; i < this.spec.bitsPerSymbol; i++) bits = (bits << 1) | this.scrambler.scramble(1);
    return this.mapTarget(bits);
  }

  private putLineBits(bits: number): void {
    for (let i = this.spec.bitsPerSymbol - 1; i >= 0; i--) this.putBit(this.scrambler.descramble((bits >> i) & 1));
  }

  protected carrierChange(change: number): void {
    if (change > 0) {
      this.failureReported = false;
      this.restart();
      this.report('carrier-up');
    } else {
      this.enter('idle');
      this.report('carrier-down');
    }
  }

  private restart(): void {
    this.resetPath(this.short);
    this.driftRe = 0;
    this.driftIm = 0;
    this.agreeing = 0;
    this.lostSymbols = 0;
    this.untrusted = 0;
    this.recentError = 0;
    this.enter('acquire');
  }

  private enter(state: RxState): void {
    this.state = state;
    this.handler = PskDemodulator.HANDLERS[state];
    this.symbols = 0;
    this.running = state !== 'idle';
    this.gainRunning = (state === 'acquire' || state === 'seek') && !this.short;
    const own = this.spec.gains;
    if (state === 'acquire' || state === 'seek') this.gains = ACQUIRE_GAINS;
    else if (state === 'data') this.gains = own?.data ?? DATA_GAINS;
    else if (state === 'test') this.gains = own?.fineTraining ?? TRAIN_GAINS;
    else this.gains = this.short && own !== undefined ? own.shortTraining : TRAIN_GAINS;
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
    if (this.untrusted > 0) {
      this.untrusted--;
      return;
    }
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
    // turn the carrier so this symbol lands on the training's first point
    const target = this.trainingTarget(0);
    const dRe = this.spec.pointsRe[target]!;
    const dIm = this.spec.pointsIm[target]!;
    const turn = Math.atan2(yIm * dRe - yRe * dIm, yRe * dRe + yIm * dIm);
    // a short training keeps the frequency the last burst trained on, far finer than the alternations can measure
    if (this.short) this.turnCarrier(turn);
    else this.setCarrier(offset, turn);
    this.enter('train');
    this.symbols = 1;
    const c = Math.cos(turn);
    const s = Math.sin(turn);
    this.steer(target, yRe * c + yIm * s, yIm * c - yRe * s);
  }

  private train(yRe: number, yIm: number): void {
    const target = this.trainingTarget(this.symbols - 1);
    this.trackError(target, yRe, yIm);
    this.steer(target, yRe, yIm);
    const own = this.spec.gains;
    if (own !== undefined && this.symbols === own.fineTrainingAfter) this.gains = own.fineTraining;
    if (this.symbols === this.trainingSymbols) this.enterTest();
  }

  private enterTest(): void {
    this.enter('test');
    this.testError = 0;
    this.testCount = 0;
  }

  /**
   * The squared error against a known symbol, into the test's sum and a running mean; symbols just after a fill-in
   * are left out, being partly made of what preceded the loss.
   */
  private trackError(target: number, yRe: number, yIm: number): void {
    if (this.untrusted > 0) {
      this.untrusted--;
      return;
    }
    const dRe = yRe - this.spec.pointsRe[target]!;
    const dIm = yIm - this.spec.pointsIm[target]!;
    const error = dRe * dRe + dIm * dIm;
    this.recentError += (error - this.recentError) / RECENT_ERROR_SYMBOLS;
    if (this.state !== 'test') return;
    this.testError += error;
    this.testCount++;
  }

  /** Steps the training's known symbols over those lost, as if they had been received. */
  private skipLostSymbols(): void {
    this.untrusted = this.symbolDelay;
    for (; this.lostSymbols > 0; this.lostSymbols--) {
      if (this.state === 'train') {
        this.trainingTarget(this.symbols - 1);
        if (this.symbols === this.trainingSymbols) this.enterTest();
      } else if (this.state === 'test' && this.symbols < this.spec.onesSymbols) this.onesTarget();
      this.symbols++;
    }
  }

  private test(yRe: number, yIm: number): void {
    const target = this.onesTarget();
    this.trackError(target, yRe, yIm);
    this.steer(target, yRe, yIm);
    if (this.symbols < this.spec.onesSymbols) return;
    // a fill-in that left too few test symbols to judge by: judge by the end of the training instead
    const error = 2 * this.testCount >= this.spec.onesSymbols ? this.testError / this.testCount : this.recentError;
    if (error < this.spec.passError) {
      this.enter('data');
      if (this.spec.shortTrainingSymbols !== undefined) {
        this.short = true;
        this.savePath();
      }
      this.report('training-succeeded');
    } else this.fail();
  }

  private data(yRe: number, yIm: number): void {
    const index = this.slicer.slice(yRe, yIm);
    this.steer(index, yRe, yIm);
    const bits = this.decode(index, yRe, yIm);
    if (bits >= 0) this.putLineBits(bits);
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
