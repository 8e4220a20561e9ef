// V.21 channel 2 as T.30 uses it for its control messages (V.21 §2–3, T.30 §5.3.1, audio-fax reference §3.3): the
// numbers the modulator and demodulator share.

/** V.21 §2: 300 bit/s on each channel. */
export const V21_BIT_RATE = 300;

/** V.21 §3, channel 2: binary 1 ("mark") is sent at 1650 Hz. */
export const V21_MARK_HZ = 1650;

/** V.21 §3, channel 2: binary 0 ("space") is sent at 1850 Hz. */
export const V21_SPACE_HZ = 1850;

/** Midway between the two tones: where the carrier's power sits, for carrier detect. */
export const V21_CENTRE_HZ = (V21_MARK_HZ + V21_SPACE_HZ) / 2;

/** Transmit level of the fax modems (T.30 gateways and SpanDSP send −14 dBm0). */
export const V21_LEVEL_DBM0 = -14;

/**
 * T.30 §5.3.1: a 1 s ± 15 % preamble of flags precedes the first frame of a V.21 transmission. 38 flags at 300 bit/s
 * last 1.013 s (SpanDSP sends 32, 853 ms, at the bottom of the tolerance).
 */
export const V21_PREAMBLE_FLAGS = 38;

/** Flags after the final frame of a burst before the carrier stops (T.30 §5.3.1 asks for at least one; two is usual). */
export const V21_CLOSING_FLAGS = 2;

/** A V.21 bit lasts 8000 / 300 = 80/3 samples: counted in thirds of a sample, so bit timing never drifts. */
export const THIRDS_PER_BIT = 80;
export const THIRDS_PER_SAMPLE = 3;
