/**
 * Self-synchronising scramblers of the PSK/QAM fax modems (audio-fax reference §3.2): V.27ter's (1 + x⁻⁶ + x⁻⁷ with its
 * repetition guard) and V.29's and V.17's (1 + x⁻¹⁸ + x⁻²³), plus V.29's 7-bit training generator.
 */

/** The polynomial and guard of one modem's scrambler. */
export interface ScramblerSpec {
  /** The two taps, counted as "the line bit sent k+1 bits ago" (x⁻⁶ → 5). */
  readonly tapA: number;
  readonly tapB: number;
  /** V.27ter's guard against repeating patterns of period 1, 2 and 3 (audio-fax reference §3.2). */
  readonly guard: boolean;
}

export const V27TER_SCRAMBLER: ScramblerSpec = { tapA: 5, tapB: 6, guard: true };
export const V29_SCRAMBLER: ScramblerSpec = { tapA: 17, tapB: 22, guard: false };

/** V.27ter's guard: a run of 33 line bits with period 1, 2 or 3 makes the next output bit invert. */
const GUARD_RUN = 33;

/**
 * One direction of a scrambler. The register holds past line bits, newest in bit 0, so the scrambler and
 * the descrambler share it; a descrambler fed line bits converges on the sender's register by itself.
 */
export class Scrambler {
  private register: number;
  private guardCount = 0;
  /** The spec's fields, held directly: this runs once per bit. */
  private readonly tapA: number;
  private readonly tapB: number;
  private readonly guard: boolean;

  constructor(spec: ScramblerSpec, seed: number) {
    this.register = seed;
    this.tapA = spec.tapA;
    this.tapB = spec.tapB;
    this.guard = spec.guard;
  }

  /** Back to the state a new scrambler with `seed` has. */
  reset(seed: number): void {
    this.register = seed;
    this.guardCount = 0;
  }

  /** Data bit in, line bit out. */
  scramble(bit: number): number {
    let out = (bit ^ (this.register >>> this.tapA) ^ (this.register >>> this.tapB)) & 1;
    if (this.guard) out ^= this.guardStep(out);
    this.register = ((this.register << 1) | out) & 0xffffff;
    return out;
  }

  /** Line bit in, data bit out. */
  descramble(bit: number): number {
    let out = (bit ^ (this.register >>> this.tapA) ^ (this.register >>> this.tapB)) & 1;
    if (this.guard) out ^= this.guardStep(bit);
    this.register = ((this.register << 1) | bit) & 0xffffff;
    return out;
  }

  /**
   * `count` data bits in (the first most significant), the line bits out in the same order: what `scramble` does bit by
   * bit, the register in a local where the modem has no guard (this runs for every symbol sent).
   */
  scrambleBits(bits: number, count: number): number {
    let out = 0;
    if (this.guard) {
      for (let i = count - 1; i >= 0; i--) out = (out << 1) | this.scramble((bits >> i) & 1);
      return out;
    }
    const tapA = this.tapA;
    const tapB = this.tapB;
    let register = this.register;
    for (let i = count - 1; i >= 0; i--) {
      const bit = ((bits >> i) ^ (register >>> tapA) ^ (register >>> tapB)) & 1;
      out = (out << 1) | bit;
      register = ((register << 1) | bit) & 0xffffff;
    }
    this.register = register;
    return out;
  }

  /** Counts line bits equal to the bits 8, 9 and 12 places back; returns 1 when the next bit must invert. */
  private guardStep(lineBit: number): number {
    if (this.guardCount >= GUARD_RUN) {
      this.guardCount = 0;
      return 1;
    }
    const r = this.register;
    const differsFromAll = (((r >>> 7) ^ lineBit) & ((r >>> 8) ^ lineBit) & ((r >>> 11) ^ lineBit) & 1) === 1;
    this.guardCount = differsFromAll ? 0 : this.guardCount + 1;
    return 0;
  }
}

/**
 * V.29's segment 3 generator (1 + x⁻⁶ + x⁻⁷ as a 7-bit Fibonacci register): one training bit per
 * call, C for 0 and D for 1.
 */
export class V29TrainingGenerator {
  private register = 0x2a;

  reset(): void {
    this.register = 0x2a;
  }

  next(): number {
    const out = this.register & 1;
    this.register >>>= 1;
    this.register |= (out ^ (this.register & 1)) << 6;
    return out;
  }
}
