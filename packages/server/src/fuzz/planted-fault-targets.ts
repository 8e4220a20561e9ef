// Fuzz targets with faults planted in them, for the fuzzer's own tests: one that throws a plain error, one that never
// returns, and one that keeps memory, each on some inputs only, so a test sees the fuzzer catch each kind.
import type { FuzzTarget } from './fuzz-targets.js';

const SEEDS = [new TextEncoder().encode('a seed of some length for the planted faults')];
const kept: object[] = [];

function planted(name: string, fault: () => void): FuzzTarget {
  return {
    name,
    what: `a decoder with a planted ${name}`,
    maxBytes: 1024,
    start: () => ({
      seeds: SEEDS,
      run(input) {
        if (input.length % 7 === 3) fault();
      },
    }),
    expected: () => false,
  };
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  planted('crash', () => {
    throw new TypeError('a fault planted by the test');
  }),
  planted('hang', () => {
    for (;;);
  }),
  planted('blow-up', () => {
    // Held, so the heap only grows: 32 MB of doubles an input, 1 MB at a time (one allocation past the cap would end
    // the process rather than the thread), against a cap of 64 MB in the test.
    for (let i = 0; i < 32; i++) kept.push(new Array(1 << 17).fill(0.5));
  }),
];
