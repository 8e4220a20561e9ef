// Numerically controlled oscillator (direct digital synthesis) shared by faxd's modems: a 32-bit phase accumulator
// (2^32 = one cycle) indexing one sine table, so no modem calls Math.sin per sample (audio-fax reference §7.3).

/** Every modem runs at the G.711 sampling rate (G.711 §1: 8000 samples per second). */
export const SAMPLE_RATE = 8000;

/** One full cycle of phase in accumulator units. */
export const PHASE_CYCLE = 2 ** 32;

const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
const QUARTER = TABLE_SIZE >> 2;
const INDEX_SHIFT = 32 - TABLE_BITS;

/** sin(2π·i/1024) for one cycle plus a quarter, so a cosine is the same lookup a quarter further on. */
const SINE_TABLE = buildSineTable();

function buildSineTable(): Float64Array {
  const table = new Float64Array(TABLE_SIZE + QUARTER);
  for (let i = 0; i < table.length; i++) table[i] = Math.sin((2 * Math.PI * i) / TABLE_SIZE);
  return table;
}

/** The accumulator step per sample for a frequency in Hz (negative frequencies wrap, as a phase does). */
export function phaseRateForHz(hz: number): number {
  const step = Math.round((hz * PHASE_CYCLE) / SAMPLE_RATE) % PHASE_CYCLE;
  return ((step + PHASE_CYCLE) % PHASE_CYCLE) >>> 0;
}

/** The frequency in Hz of an accumulator step, read as a signed 32-bit value. */
export function hzForPhaseRate(rate: number): number {
  return ((rate | 0) * SAMPLE_RATE) / PHASE_CYCLE;
}

/** An angle in radians as accumulator units, wrapped to one cycle. */
export function phaseForRadians(radians: number): number {
  const units = Math.round((radians / (2 * Math.PI)) * PHASE_CYCLE) % PHASE_CYCLE;
  return ((units + PHASE_CYCLE) % PHASE_CYCLE) >>> 0;
}

/** sin of an accumulator phase (table lookup, 1024 steps per cycle: spurs near −60 dB, far below any modem's need). */
export function sineOfPhase(phase: number): number {
  return SINE_TABLE[phase >>> INDEX_SHIFT];
}

/** cos of an accumulator phase. */
export function cosineOfPhase(phase: number): number {
  return SINE_TABLE[(phase >>> INDEX_SHIFT) + QUARTER];
}

/** A carrier: phase and phase rate as uint32 numbers, stepped once per sample. */
export class Nco {
  /** Current phase, 0 … 2^32 − 1. */
  phase: number;
  /** Phase added per sample, 0 … 2^32 − 1 (values above 2^31 are negative frequencies). */
  rate: number;

  constructor(hz = 0, phase = 0) {
    this.rate = phaseRateForHz(hz);
    this.phase = phase >>> 0;
  }

  setFrequency(hz: number): void {
    this.rate = phaseRateForHz(hz);
  }

  frequency(): number {
    return hzForPhaseRate(this.rate);
  }

  sin(): number {
    return SINE_TABLE[this.phase >>> INDEX_SHIFT];
  }

  cos(): number {
    return SINE_TABLE[(this.phase >>> INDEX_SHIFT) + QUARTER];
  }

  /** One sample on. */
  step(): void {
    this.phase = (this.phase + this.rate) >>> 0;
  }

  /** `samples` on at the current rate: what a receiver's fill-in does over a lost packet. */
  advance(samples: number): void {
    this.phase = (this.phase + ((this.rate * samples) % PHASE_CYCLE)) >>> 0;
  }

  /** Turns the phase by a signed number of accumulator units (a carrier loop's proportional term). */
  adjustPhase(delta: number): void {
    this.phase = (this.phase + Math.round(delta)) >>> 0;
  }

  /** Changes the rate by a signed number of accumulator units per sample (a carrier loop's integral term). */
  adjustRate(delta: number): void {
    this.rate = (this.rate + Math.round(delta)) >>> 0;
  }
}
