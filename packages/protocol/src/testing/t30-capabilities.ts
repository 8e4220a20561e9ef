// Test support: DIS values of typical G3 machines for T.30 session tests.

import type { Dis } from '../t30/frames/dis-dcs.js';

/** V.17 to V.27 ter, fine and superfine, MR and MMR, ECM, A4 and B4, unlimited length, 0 ms scan time. */
export const G3_FULL: Dis = {
  modems: new Set(['v27ter', 'v29', 'v17']),
  bitRates: new Set([14400, 12000, 9600, 7200, 4800, 2400]),
  resolutions: new Set(['standard', 'fine', 'superfine']),
  widths: new Set(['a4', 'b4']),
  maxLength: 'unlimited',
  compressions: new Set(['mh', 'mr', 'mmr']),
  ecm: true,
  ecmFrameSize: 256,
  minScanLineTime: 0,
  scanTimeHalvedAtFine: false,
  flags: new Set(),
};

export function g3Capabilities(overrides: Partial<Dis> = {}): Dis {
  return { ...G3_FULL, ...overrides };
}
