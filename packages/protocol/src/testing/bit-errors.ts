// Test support: bit error counting for modem tests: a seeded random bit pattern both ends can regenerate, and the
// errors of a received stream against it once the receiver's leading bits (before the data) are skipped.

import { seededRandom } from './lossy-link.js';

/** `count` random bits (one element per bit, 0 or 1) from a seed. */
export function randomBits(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
}

export interface BitErrorCount {
  /** Where the sent bits start in the received stream. */
  readonly offset: number;
  /** Sent bits received wrong, plus those never received (the stream ended first). */
  readonly errors: number;
  readonly bits: number;
}

/**
 * Aligns `received` on `sent` (the offset, at most `maxOffset`, where the first `alignOn` bits match best) and counts
 * the errors from there. A receiver that slipped a bit shows as a burst of errors from the slip on, as it should.
 */
export function countBitErrors(sent: Uint8Array, received: Uint8Array, maxOffset = 64, alignOn = 256): BitErrorCount {
  const window = Math.min(alignOn, sent.length);
  let offset = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let candidate = 0; candidate <= maxOffset && candidate + window <= received.length; candidate++) {
    let mismatches = 0;
    for (let i = 0; i < window && mismatches < best; i++) if (received[candidate + i] !== sent[i]) mismatches++;
    if (mismatches < best) {
      best = mismatches;
      offset = candidate;
    }
  }
  let errors = 0;
  for (let i = 0; i < sent.length; i++) {
    const at = offset + i;
    if (at >= received.length || received[at] !== sent[i]) errors++;
  }
  return { offset, errors, bits: sent.length };
}
