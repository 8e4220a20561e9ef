/**
 * The Gray-coded phase changes that V.27ter and V.29 share (audio-fax reference §3.4–§3.5): three bits choose one of
 * eight 45° steps, two bits one of four 90° steps (first bit most significant), with their inverses for the receivers.
 */

/** 001 → 0°, 000 → 45°, 010 → 90°, 011 → 135°, 111 → 180°, 110 → 225°, 100 → 270°, 101 → 315°. */
export const TRIBIT_PHASE_CHANGE = Int8Array.of(1, 0, 2, 3, 6, 7, 5, 4);
/** 00 → 0°, 01 → 90°, 11 → 180°, 10 → 270°, in 45° steps. */
export const DIBIT_PHASE_CHANGE = Int8Array.of(0, 2, 6, 4);

/** The tribit of a phase change in 45° steps. */
export const TRIBIT_OF_PHASE_CHANGE = Int8Array.from({ length: 8 }, (_, change) => TRIBIT_PHASE_CHANGE.indexOf(change));
/** The dibit of a phase change in 45° steps; an odd change reads as the even one below it. */
export const DIBIT_OF_PHASE_CHANGE = Int8Array.from({ length: 8 }, (_, change) =>
  DIBIT_PHASE_CHANGE.indexOf(change & 6),
);
