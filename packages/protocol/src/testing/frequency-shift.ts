// Test support: moves a whole signal up or down in frequency (a carrier offset, as an analogue FDM leg causes;
// SpanDSP's own modem tests send off-nominal carriers) by single-sideband mixing of its analytic signal.

/** Hilbert transformer length: 255 taps put its ripple below −60 dB across the modems' band (300–3400 Hz). */
const HILBERT_TAPS = 255;

/** `samples` with every frequency moved by `hz` (the result is as long as the input, saturated to 16 bits). */
export function shiftFrequency(samples: Int16Array, hz: number): Int16Array {
  const half = (HILBERT_TAPS - 1) / 2;
  const hilbert = new Float64Array(HILBERT_TAPS);
  for (let k = 1; k <= half; k += 2) {
    // Blackman window over the ideal 2/(πk) response, odd taps only
    const window = (i: number) =>
      0.42 -
      0.5 * Math.cos((2 * Math.PI * i) / (HILBERT_TAPS - 1)) +
      0.08 * Math.cos((4 * Math.PI * i) / (HILBERT_TAPS - 1));
    hilbert[half + k] = (2 / (Math.PI * k)) * window(half + k);
    hilbert[half - k] = -hilbert[half + k]!;
  }
  const out = new Int16Array(samples.length);
  const omega = (2 * Math.PI * hz) / 8000;
  for (let n = 0; n < samples.length; n++) {
    let quadrature = 0;
    for (let k = 0; k < HILBERT_TAPS; k++) {
      const at = n - k + half;
      if (at >= 0 && at < samples.length) quadrature += hilbert[k]! * samples[at]!;
    }
    const value = samples[n]! * Math.cos(omega * n) - quadrature * Math.sin(omega * n);
    out[n] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}
