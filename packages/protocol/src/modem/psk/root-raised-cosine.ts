/**
 * Root-raised-cosine pulses (the "square-root of a raised cosine" split equally between transmitter and receiver
 * that V.27ter and V.29 ask for; audio-fax reference §3.1, §3.7), tabulated once per modem as polyphase sets.
 */

/** The root-raised-cosine impulse response at `t` symbol periods from its centre, unit gain at DC per symbol. */
export function rootRaisedCosine(t: number, beta: number): number {
  if (t === 0) return 1 - beta + (4 * beta) / Math.PI;
  const quarter = 1 / (4 * beta);
  if (Math.abs(Math.abs(t) - quarter) < 1e-9) {
    const angle = Math.PI / (4 * beta);
    return (beta / Math.SQRT2) * ((1 + 2 / Math.PI) * Math.sin(angle) + (1 - 2 / Math.PI) * Math.cos(angle));
  }
  const x = 4 * beta * t;
  return (
    (Math.sin(Math.PI * t * (1 - beta)) + 4 * beta * t * Math.cos(Math.PI * t * (1 + beta))) /
    (Math.PI * t * (1 - x * x))
  );
}

/**
 * A pulse sampled on `phases` sub-grids: row p, tap i holds the pulse at (i + p / phases) × `tapSpacing` symbol
 * periods before the newest input, centred on the middle of the `taps` inputs. Rows are laid out one after another.
 */
export function polyphasePulse(taps: number, phases: number, tapSpacing: number, beta: number): Float64Array {
  const table = new Float64Array(taps * phases);
  const centre = (taps - 1) / 2;
  for (let p = 0; p < phases; p++) {
    for (let i = 0; i < taps; i++) table[p * taps + i] = rootRaisedCosine((i + p / phases - centre) * tapSpacing, beta);
  }
  return table;
}
