/**
 * V.17's eight-state trellis code (the convolutional encoder V.17 shares with V.32bis, with the differential encoder
 * ahead of it): the encoder's state update as a table, so the transmitter and the receiver's Viterbi decoder walk the
 * same trellis.
 */

/** The encoder's states: bits s0 (bit 0), s1, s2. */
export const TRELLIS_STATES = 8;
/** The dibits Y = y1 + 2·y2 leaving the differential encoder. */
export const TRELLIS_DIBITS = 4;

/**
 * The next state from state `state` on dibit `y`: s0' = y2 ⊕ s1 ⊕ (y1 ∧ s0), s1' = y1 ⊕ y2 ⊕ s2 ⊕ ((y2 ⊕ s1) ∧ s0),
 * s2' = s0. The redundant bit Y0 sent with the dibit is s0 before the update.
 */
function nextState(state: number, y: number): number {
  const s0 = state & 1;
  const s1 = (state >> 1) & 1;
  const s2 = (state >> 2) & 1;
  const y1 = y & 1;
  const y2 = (y >> 1) & 1;
  const next0 = y2 ^ s1 ^ (y1 & s0);
  const next1 = y1 ^ y2 ^ s2 ^ ((y2 ^ s1) & s0);
  return next0 | (next1 << 1) | (s0 << 2);
}

/** TRELLIS_NEXT[state × 4 + dibit]: the state after sending `dibit` from `state`. */
export const TRELLIS_NEXT = Uint8Array.from({ length: TRELLIS_STATES * TRELLIS_DIBITS }, (_, i) =>
  nextState(i >> 2, i & 3),
);

/** The low three bits of the point index sent from `state` with `dibit`: Y0 (bit 0), Y1, Y2. */
export function trellisSubset(state: number, dibit: number): number {
  return (dibit << 1) | (state & 1);
}

/**
 * The transmitter's differential and trellis encoder: per symbol the first two data bits (Q1, Q2) advance the
 * differential dibit, which with the trellis state's redundant bit picks the subset; the other bits pick the point in
 * it.
 */
export class TrellisEncoder {
  /** The trellis state and the differential dibit the next symbol starts from. */
  state = 0;
  dibit = 0;

  /** The state V.17 starts segment 4 from: trellis state 0, the differential dibit 1 after a long train, 0 after a short. */
  reset(dibit: number): void {
    this.state = 0;
    this.dibit = dibit;
  }

  /** The point index for `q` (Q1 in bit 0, then Q2, Q3 …): bits Y0, Y1, Y2, Q3, Q4 … from bit 0 up. */
  encode(q: number): number {
    this.dibit = (this.dibit + (q & 3)) & 3;
    const index = ((q >> 2) << 3) | trellisSubset(this.state, this.dibit);
    this.state = TRELLIS_NEXT[(this.state << 2) | this.dibit]!;
    return index;
  }
}
