/**
 * The transmit half shared by the PSK/QAM fax modems (V.27ter, V.29): symbols from the modem's own training and
 * mapper, root-raised-cosine pulse shaping at baseband in polyphase form, then up to the carrier
 * (out = re·cos − im·sin), at a level given in dBm0.
 */

import { lineSample } from '../dsp/line-sample.js';
import { cosineOfPhase, Nco, SAMPLE_RATE, sineOfPhase } from '../dsp/nco.js';
import { meanSquareForDbm0 } from '../dsp/power-meter.js';
import { BitQueue } from './bit-queue.js';
import { ComplexDelayLine } from './complex-delay-line.js';
import { polyphasePulse } from './root-raised-cosine.js';
import type { Scrambler } from './scrambler.js';

/** How a modem shapes and places its symbols. */
export interface PskLineSpec {
  readonly baud: number;
  readonly carrierHz: number;
  /** Roll-off of the transmit pulse. */
  readonly beta: number;
  /** Mean |symbol|² of the data constellation, so the level in dBm0 holds for data. */
  readonly meanSymbolPower: number;
}

/** A modem's training and shutdown, in symbols. */
export interface PskTrainingPlan {
  /** Segments the modem draws itself (`trainingSymbol`), in order. */
  readonly segments: readonly number[];
  /** Then scrambled 1s through the data mapping, the last training segment of V.27ter and V.29. */
  readonly onesSymbols: number;
  /** After the data: scrambled 1s through the data mapping, then silence. */
  readonly shutdownSymbols: number;
}

/** The transmit pulse spans this many symbols (as SpanDSP's do); pulseDot writes out that many terms. */
const PULSE_SYMBOLS = 9;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const pulseTables = new Map<string, Float64Array>();

/**
 * One polyphase table per baud and roll-off, shared by every transmitter: row p holds the pulse for the oldest
 * symbol first, p/phases of a symbol after the newest one started.
 */
function pulseTable(phases: number, beta: number): Float64Array {
  const key = `${phases}/${beta}`;
  let table = pulseTables.get(key);
  if (!table) {
    // polyphasePulse runs newest symbol first; the delay line is read oldest first
    table = polyphasePulse(PULSE_SYMBOLS, phases, 1, beta);
    for (let p = 0; p < phases; p++) table.subarray(p * PULSE_SYMBOLS, (p + 1) * PULSE_SYMBOLS).reverse();
    // normalise so the baseband power, averaged over the phases, equals the symbols' mean power
    let energy = 0;
    for (const c of table) energy += c * c;
    const scale = 1 / Math.sqrt(energy / phases);
    for (let i = 0; i < table.length; i++) table[i]! *= scale;
    pulseTables.set(key, table);
  }
  return table;
}

/**
 * One output of the pulse shaper: row `row` of the table against the PULSE_SYMBOLS symbols from `at`, the terms written
 * out (V8 makes a loop of nine, bounds checks and all, about a quarter slower), summed in the loop's order.
 */
function pulseDot(table: Float64Array, row: number, symbols: Float64Array, at: number): number {
  return (
    table[row]! * symbols[at]! +
    table[row + 1]! * symbols[at + 1]! +
    table[row + 2]! * symbols[at + 2]! +
    table[row + 3]! * symbols[at + 3]! +
    table[row + 4]! * symbols[at + 4]! +
    table[row + 5]! * symbols[at + 5]! +
    table[row + 6]! * symbols[at + 6]! +
    table[row + 7]! * symbols[at + 7]! +
    table[row + 8]! * symbols[at + 8]!
  );
}

/**
 * A modulator: subclasses draw their own training segments (`trainingSymbol`) and map scrambled bits to symbols
 * (`mapSymbol`); data bits are queued with `send` and `end` asks for the shutdown once they are sent.
 */
export abstract class PskModulator {
  private readonly bits = new BitQueue();
  private ended = false;
  /** Set by `trainingSymbol`/`mapSymbol` for the symbol they produce. */
  protected symbolRe = 0;
  protected symbolIm = 0;
  /** The segment being sent: an index into the plan's segments, then the named stages. */
  private segment = 0;
  private symbolsLeft: number;
  private readonly dataSegment: number;

  private readonly phases: number;
  private readonly phaseStep: number;
  private readonly table: Float64Array;
  /** The last PULSE_SYMBOLS symbols. */
  private readonly history = new ComplexDelayLine(PULSE_SYMBOLS);
  private phase = 0;
  private readonly carrier: Nco;
  private readonly gain: number;
  /** Zero symbols still to push after the last one so the pulse tails are sent; -1 while symbols come. */
  private flushSymbols = -1;

  constructor(
    spec: PskLineSpec,
    private readonly plan: PskTrainingPlan,
    protected readonly scrambler: Scrambler,
    private readonly bitsPerSymbol: number,
    levelDbm0 = -14,
  ) {
    this.dataSegment = plan.segments.length + 1;
    this.symbolsLeft = plan.segments[0]!;
    const common = gcd(SAMPLE_RATE, spec.baud);
    this.phases = SAMPLE_RATE / common;
    this.phaseStep = spec.baud / common;
    this.table = pulseTable(this.phases, spec.beta);
    this.carrier = new Nco(spec.carrierHz);
    // the passband signal's mean square is half the baseband's
    this.gain = Math.sqrt((2 * meanSquareForDbm0(levelDbm0)) / spec.meanSymbolPower);
  }

  /** Data bits (one per byte, first bit first) to send after training. */
  send(bits: Uint8Array): void {
    this.bits.push(bits);
  }

  /** No more bits: once the queue is empty, send the shutdown and stop. */
  end(): void {
    this.ended = true;
  }

  /** Bits queued and not yet sent. */
  pendingBits(): number {
    return this.bits.length;
  }

  /** True until the shutdown has been sent (or `stop` cut it short). */
  busy(): boolean {
    return this.flushSymbols !== 0;
  }

  /** Drops the queue and stops at once, without the shutdown (T.30's stop-transmit). */
  stop(): void {
    this.bits.clear();
    this.flushSymbols = 0;
  }

  /**
   * Fills `out` with line samples; returns how many were written, fewer than `out.length` only once the shutdown is
   * complete (then 0 on every later call).
   */
  modulate(out: Int16Array): number {
    if (this.flushSymbols === 0) return 0;
    const table = this.table;
    const history = this.history;
    const historyRe = history.re;
    const historyIm = history.im;
    const gain = this.gain;
    const phases = this.phases;
    const phaseStep = this.phaseStep;
    const carrier = this.carrier;
    // per-sample state in locals (V8 keeps them in registers), back to the fields at the end
    let carrierPhase = carrier.phase;
    const carrierRate = carrier.rate;
    let phase = this.phase;
    let n = 0;
    for (; n < out.length; n++) {
      phase += phaseStep;
      if (phase >= phases) {
        phase -= phases;
        if (!this.pushSymbol()) break;
      }
      const row = phase * PULSE_SYMBOLS;
      const at = history.start;
      const re = pulseDot(table, row, historyRe, at);
      const im = pulseDot(table, row, historyIm, at);
      const value = gain * (re * cosineOfPhase(carrierPhase) - im * sineOfPhase(carrierPhase));
      carrierPhase = (carrierPhase + carrierRate) >>> 0;
      out[n] = lineSample(value);
    }
    carrier.phase = carrierPhase;
    this.phase = phase;
    return n;
  }

  /** The next symbol: the modem's own, then zeros while the pulse tails drain; false when all is sent. */
  private pushSymbol(): boolean {
    if (this.flushSymbols < 0 && !this.nextSymbol()) this.flushSymbols = PULSE_SYMBOLS;
    if (this.flushSymbols >= 0) {
      if (this.flushSymbols === 0) return false;
      this.flushSymbols--;
      this.symbolRe = 0;
      this.symbolIm = 0;
    }
    this.history.push(this.symbolRe, this.symbolIm);
    return true;
  }

  /**
   * Sets symbolRe/symbolIm to the next symbol: the plan's training segments, scrambled 1s, the data (1s while the
   * queue is empty), the shutdown; false once that is sent.
   */
  protected nextSymbol(): boolean {
    const plan = this.plan;
    while (this.symbolsLeft === 0 && this.segment !== this.dataSegment) {
      this.segment++;
      if (this.segment < plan.segments.length) this.symbolsLeft = plan.segments[this.segment]!;
      else if (this.segment === plan.segments.length) this.symbolsLeft = plan.onesSymbols;
      else if (this.segment === this.dataSegment + 1) this.symbolsLeft = plan.shutdownSymbols;
      else if (this.segment > this.dataSegment + 1) return false;
    }
    if (this.segment === this.dataSegment && this.ended && this.bits.length === 0) {
      this.segment++;
      this.symbolsLeft = plan.shutdownSymbols;
    }
    if (this.segment < plan.segments.length) this.trainingSymbol(this.segment);
    else {
      // the data, or 1s (training's last segment, an empty queue, the shutdown)
      const count = this.bitsPerSymbol;
      const bits = this.segment === this.dataSegment ? this.bits.take(count) : (1 << count) - 1;
      this.mapSymbol(this.scrambler.scrambleBits(bits, count));
    }
    if (this.segment !== this.dataSegment) this.symbolsLeft--;
    return true;
  }

  /** Sets symbolRe/symbolIm to a symbol of the plan's training segment `segment`. */
  protected abstract trainingSymbol(segment: number): void;

  /** Sets symbolRe/symbolIm to the symbol for `bits` scrambled bits (the first most significant). */
  protected abstract mapSymbol(bits: number): void;
}
