import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_RATE } from '../modem/dsp/nco.js';
import { impairSignal } from './test-channel.js';

function tone(hz: number, peak: number, samples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, n) =>
    Math.round(peak * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE)),
  );
}

function meanSquare(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return sum / (to - from);
}

/** Frequency of a tone from the phase of its correlation with a reference over two halves of the signal. */
function measuredHz(samples: Int16Array, hz: number): number {
  const phaseOf = (from: number, to: number) => {
    let re = 0;
    let im = 0;
    for (let n = from; n < to; n++) {
      const angle = (2 * Math.PI * hz * n) / SAMPLE_RATE;
      re += samples[n] * Math.cos(angle);
      im -= samples[n] * Math.sin(angle);
    }
    return Math.atan2(im, re);
  };
  const half = samples.length >> 1;
  const span = half;
  let drift = phaseOf(half, samples.length) - phaseOf(0, half);
  drift = Math.atan2(Math.sin(drift), Math.cos(drift));
  return hz + (drift / (2 * Math.PI)) * (SAMPLE_RATE / span);
}

describe('impairSignal', () => {
  const clean = tone(1800, 4554, 16_000);

  it('scales the level by the gain in dB', () => {
    for (const gainDb of [-10, 10]) {
      const out = impairSignal(clean, { gainDb });
      const ratioDb = 10 * Math.log10(meanSquare(out) / meanSquare(clean));
      assert.ok(Math.abs(ratioDb - gainDb) < 0.01, `${gainDb} dB: ${ratioDb}`);
    }
  });

  it('adds white noise at the SNR asked for, the same noise for the same seed', () => {
    const out = impairSignal(clean, { snrDb: 20, seed: 7 });
    const noise = out.map((sample, i) => sample - clean[i]);
    const snr = 10 * Math.log10(meanSquare(clean) / meanSquare(noise));
    assert.ok(Math.abs(snr - 20) < 0.2, `SNR ${snr}`);
    assert.deepEqual(impairSignal(clean, { snrDb: 20, seed: 7 }), out);
    assert.notDeepEqual(impairSignal(clean, { snrDb: 20, seed: 8 }), out);
    // White: neighbouring noise samples are uncorrelated.
    let lag = 0;
    for (let i = 1; i < noise.length; i++) lag += noise[i] * noise[i - 1];
    assert.ok(Math.abs(lag / noise.length / meanSquare(noise)) < 0.05);
  });

  it('resamples for a clock offset: a tone reads that many ppm high or low, at its level and with no images', () => {
    for (const clockPpm of [100, -100]) {
      const out = impairSignal(clean, { clockPpm });
      assert.equal(out.length, Math.floor((clean.length - 1) / (1 + clockPpm * 1e-6)));
      const hz = measuredHz(out, 1800);
      assert.ok(Math.abs(hz - 1800 * (1 + clockPpm * 1e-6)) < 0.02, `${clockPpm} ppm: ${hz} Hz`);
      // Against the ideal tone at the offset frequency, away from the edges the interpolator cannot see past.
      const ideal = tone(1800 * (1 + clockPpm * 1e-6), 4554, out.length);
      const error = out.map((sample, i) => sample - ideal[i]);
      const snr = 10 * Math.log10(meanSquare(ideal, 100, out.length - 100) / meanSquare(error, 100, out.length - 100));
      assert.ok(snr > 50, `interpolation SNR ${snr} dB`);
    }
  });

  it('shifts a tone by the carrier offset asked for, at its level and with its image far down', () => {
    for (const frequencyOffsetHz of [10, -8]) {
      const out = impairSignal(clean, { frequencyOffsetHz });
      assert.equal(out.length, clean.length);
      const ideal = tone(1800 + frequencyOffsetHz, 4554, out.length);
      const error = out.map((sample, i) => sample - ideal[i]);
      const snr = 10 * Math.log10(meanSquare(ideal, 100, out.length - 100) / meanSquare(error, 100, out.length - 100));
      assert.ok(snr > 40, `${frequencyOffsetHz} Hz: shift SNR ${snr} dB`);
    }
  });

  it('saturates at 16 bits instead of wrapping', () => {
    const out = impairSignal(tone(1000, 30_000, 800), { gainDb: 6 });
    assert.equal(Math.max(...out), 32767);
    assert.equal(Math.min(...out), -32768);
  });
});
