// The last step of faxd's PSK/QAM modulators: a computed value to a 16-bit linear line sample, rounded and saturated.

/**
 * `value` rounded half up and saturated to −32768 … 32767. Math.round's result for every value but 0.5 − 2^−54 (where
 * value + 0.5 rounds to 1), without its cost: V8 lowers Math.round to a branch on the fraction, which a modulated
 * signal mispredicts on every other sample, while Math.floor(value + 0.5) has none (a third of a PSK sample's time;
 * V.21's pure tone loses nothing to Math.round and keeps it).
 */
export function lineSample(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : Math.floor(value + 0.5);
}
