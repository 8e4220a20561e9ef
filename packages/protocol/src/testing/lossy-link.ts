// Test support: a seeded random link model that drops and duplicates items, so impaired calls replay exactly.

/** mulberry32: a small deterministic generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LossyLinkOptions {
  readonly seed: number;
  /** Probability that an item is lost. */
  readonly dropRate?: number;
  /** Probability that a delivered item arrives twice. */
  readonly duplicateRate?: number;
}

export class LossyLink {
  readonly #random: () => number;
  readonly #dropRate: number;
  readonly #duplicateRate: number;
  dropped = 0;
  duplicated = 0;

  constructor(options: LossyLinkOptions) {
    this.#random = seededRandom(options.seed);
    this.#dropRate = options.dropRate ?? 0;
    this.#duplicateRate = options.duplicateRate ?? 0;
  }

  /** How many copies of the next item arrive: 0, 1 or 2. */
  copies(): number {
    if (this.#random() < this.#dropRate) {
      this.dropped++;
      return 0;
    }
    if (this.#random() < this.#duplicateRate) {
      this.duplicated++;
      return 2;
    }
    return 1;
  }
}
