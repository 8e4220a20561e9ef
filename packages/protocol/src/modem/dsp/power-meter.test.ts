import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_RATE } from './nco.js';
import {
  CarrierDetector,
  dbm0ForMeanSquare,
  FAST_MODEM_CARRIER,
  meanSquareForDbm0,
  sinePeakForDbm0,
  V21_CARRIER,
} from './power-meter.js';

function tone(hz: number, dbm0: number, samples: number): Int16Array {
  const peak = sinePeakForDbm0(dbm0);
  return Int16Array.from({ length: samples }, (_, n) =>
    Math.round(peak * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE)),
  );
}

/** Feeds samples; returns the sample index of each change with its direction. */
function changes(detector: CarrierDetector, samples: Int16Array): [number, number][] {
  const seen: [number, number][] = [];
  for (let i = 0; i < samples.length; i++) {
    const change = detector.update(samples[i]);
    if (change) seen.push([i, change]);
  }
  return seen;
}

describe('dBm0 levels', () => {
  it('follow SpanDSP: −14 dBm0 peaks at 4554 and a full-scale sine is +3.14 dBm0', () => {
    assert.equal(Math.round(sinePeakForDbm0(-14)), 4554);
    assert.equal(Math.round(sinePeakForDbm0(-11)), 6433);
    assert.equal(Math.round(sinePeakForDbm0(-43)), 162);
    assert.ok(Math.abs(dbm0ForMeanSquare((32767 * 32767) / 2) - 3.14) < 1e-9);
    assert.ok(Math.abs(dbm0ForMeanSquare(meanSquareForDbm0(-27.5)) + 27.5) < 1e-9);
  });
});

describe('CarrierDetector', () => {
  it('reads a tone at its level once the meter has settled', () => {
    for (const [hz, dbm0] of [
      [1800, -14],
      [1700, -30],
      [1750, -40],
    ]) {
      const detector = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: hz });
      for (const sample of tone(hz, dbm0, 400)) detector.update(sample);
      // The one-pole meter ripples at twice the tone's frequency, a fraction of a dB.
      assert.ok(Math.abs(detector.levelDbm0() - dbm0) < 0.5, `${hz} Hz at ${dbm0}: ${detector.levelDbm0()}`);
    }
  });

  it('comes on within 2 ms of a fast-modem carrier and goes off within 20 ms of its end', () => {
    const detector = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: 1800 });
    const signal = new Int16Array(4000);
    signal.set(tone(1800, -14, 2000), 1000);
    const seen = changes(detector, signal);
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[0][1], 1);
    assert.ok(seen[0][0] >= 1000 && seen[0][0] < 1016, `on at ${seen[0][0]}`);
    assert.deepEqual(seen[1][1], -1);
    // From −14 to below −48 dBm0 is 34 dB of decay: 7.8 time constants of 16 samples, 16 ms.
    assert.ok(seen[1][0] >= 3000 && seen[1][0] < 3140, `off at ${seen[1][0]}`);
  });

  it('ignores a carrier below the on threshold and holds one above the off threshold (hysteresis)', () => {
    const detector = new CarrierDetector({ ...V21_CARRIER, centreHz: 1750 });
    assert.deepEqual(changes(detector, tone(1750, -39, 2000)), []);
    assert.deepEqual(
      changes(detector, tone(1750, -30, 400)).map(([, change]) => change),
      [1],
    );
    assert.deepEqual(changes(detector, tone(1750, -39, 2000)), []);
    assert.equal(detector.present(), true);
    assert.deepEqual(
      changes(detector, tone(1750, -45, 400)).map(([, change]) => change),
      [-1],
    );
  });

  it('treats a DC offset as no carrier once its step has passed', () => {
    const detector = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: 1800 });
    const seen = changes(detector, new Int16Array(2000).fill(3000));
    // The step into the offset is a click, heard for a few milliseconds at most; the offset itself is nothing.
    assert.ok(seen.length === 0 || (seen.length === 2 && seen[1][0] < 100), JSON.stringify(seen));
    assert.equal(detector.present(), false);
  });

  it('finds the same changes when run ahead to each one (updateUntilChange) as sample by sample', () => {
    // bursts at levels around both thresholds, with gaps, as a receiver sees carriers come and go
    const parts = [-60, -44, -30, -47, -49, -42, -20, -70, -45.5].map((dbm0, k) => tone(1800, dbm0, 300 + 97 * k));
    const signal = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      signal.set(part, offset);
      offset += part.length;
    }
    const reference = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: 1800 });
    const expected = changes(reference, signal);
    assert.ok(expected.length >= 4, `${expected.length} changes`);
    const detector = new CarrierDetector({ ...FAST_MODEM_CARRIER, centreHz: 1800 });
    const seen: [number, number][] = [];
    // in chunks of 160, a change's sample taken before the scan goes on from the next one
    for (let start = 0; start < signal.length; start += 160) {
      const end = Math.min(signal.length, start + 160);
      for (let at = detector.updateUntilChange(signal, start, end); at >= 0; ) {
        seen.push([at, detector.present() ? 1 : -1]);
        at = detector.updateUntilChange(signal, at + 1, end);
      }
    }
    assert.deepEqual(seen, expected);
    assert.equal(detector.levelDbm0(), reference.levelDbm0());
  });
});
