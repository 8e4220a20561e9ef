import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cosineOfPhase,
  hzForPhaseRate,
  Nco,
  phaseForRadians,
  phaseRateForHz,
  SAMPLE_RATE,
  sineOfPhase,
} from './nco.js';

describe('Nco', () => {
  it('steps a phase rate that reads back as its frequency, negative ones included', () => {
    for (const hz of [1650, 1800, 1850, 2100, -8, 0.5]) {
      assert.ok(Math.abs(hzForPhaseRate(phaseRateForHz(hz)) - hz) < 1e-5, `${hz} Hz`);
    }
    assert.equal(phaseRateForHz(SAMPLE_RATE / 4), 2 ** 30);
    assert.equal(phaseRateForHz(-SAMPLE_RATE / 4), 3 * 2 ** 30);
  });

  it('generates a sine and cosine within the table step of the exact values over many cycles', () => {
    const nco = new Nco(1800, phaseForRadians(Math.PI / 3));
    let worst = 0;
    for (let n = 0; n < 80_000; n++) {
      const angle = Math.PI / 3 + (2 * Math.PI * 1800 * n) / SAMPLE_RATE;
      worst = Math.max(worst, Math.abs(nco.sin() - Math.sin(angle)), Math.abs(nco.cos() - Math.cos(angle)));
      nco.step();
    }
    // 1024 entries per cycle: the worst error is one step's slope, 2π/1024.
    assert.ok(worst < (2 * Math.PI) / 1024, `worst error ${worst}`);
  });

  it('advances by many samples exactly as that many steps (a receiver filling in a lost packet)', () => {
    const stepped = new Nco(1703.3, 12345);
    const jumped = new Nco(1703.3, 12345);
    for (let n = 0; n < 160_000; n++) stepped.step();
    jumped.advance(160_000);
    assert.equal(jumped.phase, stepped.phase);
  });

  it('adjusts phase and rate by signed amounts, wrapping at one cycle', () => {
    const nco = new Nco(0, 10);
    nco.adjustPhase(-20);
    assert.equal(nco.phase, 2 ** 32 - 10);
    nco.adjustRate(-phaseRateForHz(-5));
    assert.ok(Math.abs(nco.frequency() - 5) < 1e-5);
    nco.setFrequency(1100);
    assert.ok(Math.abs(nco.frequency() - 1100) < 1e-5);
  });

  it('reads quarter-cycle phases exactly', () => {
    assert.equal(sineOfPhase(0), 0);
    assert.equal(cosineOfPhase(0), 1);
    assert.equal(sineOfPhase(2 ** 30), 1);
    assert.ok(Math.abs(cosineOfPhase(2 ** 31) + 1) < 1e-15);
  });
});
