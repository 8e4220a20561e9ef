import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanSquareForDbm0 } from '../dsp/power-meter.js';
import { V17Modulator } from '../v17/v17-modulator.js';
import { V27terModulator } from '../v27ter/v27ter-modulator.js';
import { V29_POINTS_IM, V29_POINTS_RE, V29_TRAINING } from '../v29/v29-line.js';
import { V29Modulator } from '../v29/v29-modulator.js';
import type { PskModulator } from './psk-modulator.js';

/** Exposes the symbols a V.29 transmitter produces, before pulse shaping. */
class V29SymbolProbe extends V29Modulator {
  symbol(): [number, number] {
    assert.ok(this.nextSymbol());
    return [this.symbolRe, this.symbolIm];
  }
}

function samplesOf(tx: PskModulator): Int16Array {
  const chunks: Int16Array[] = [];
  const buffer = new Int16Array(160);
  for (;;) {
    const count = tx.modulate(buffer);
    chunks.push(buffer.slice(0, count));
    if (count < buffer.length) return Int16Array.from(chunks.flatMap((chunk) => [...chunk]));
  }
}

describe('PSK transmitters', () => {
  it('V.29 9600 sends the reference segment 4 points after its training', () => {
    const probe = new V29SymbolProbe(9600);
    const before = V29_TRAINING.segments.reduce((sum, symbols) => sum + symbols, 0);
    for (let i = 0; i < before; i++) probe.symbol();
    const indices = Array.from({ length: 12 }, () => {
      const [re, im] = probe.symbol();
      return V29_POINTS_RE.findIndex((r, k) => r === re && V29_POINTS_IM[k] === im).toString(16);
    });
    assert.deepEqual(indices.join(' '), 'c 8 c 8 e 6 a e a 3 4 7');
  });

  for (const [name, make, bitsPerSecond] of [
    ['V.27ter 2400', () => new V27terModulator(2400, -20), 2400],
    ['V.27ter 4800', () => new V27terModulator(4800, -20), 4800],
    ['V.29 4800', () => new V29Modulator(4800, -20), 4800],
    ['V.29 7200', () => new V29Modulator(7200, -20), 7200],
    ['V.29 9600', () => new V29Modulator(9600, -20), 9600],
    // V.17 with the short training, so the second of data fits the same bounds
    ['V.17 7200', () => new V17Modulator(7200, 'short', -20), 7200],
    ['V.17 14400', () => new V17Modulator(14400, 'short', -20), 14400],
  ] as const) {
    it(`${name}: sends data at the asked level and stops after the shutdown`, () => {
      const tx = make();
      tx.send(new Uint8Array(bitsPerSecond).map((_, i) => ((i * 7919) % 3) & 1));
      tx.end();
      const samples = samplesOf(tx);
      // one second of data plus under a second of training and shutdown
      assert.ok(samples.length > 8000 && samples.length < 17000, `${samples.length} samples`);
      let power = 0;
      for (const s of samples.subarray(4000, 8000)) power += s * s;
      const dbError = 10 * Math.log10(power / 4000 / meanSquareForDbm0(-20));
      assert.ok(Math.abs(dbError) < 0.5, `level off by ${dbError.toFixed(2)} dB`);
      assert.equal(tx.modulate(new Int16Array(160)), 0);
    });
  }

  it('reports queued bits and its burst, and stop cuts the burst at once', () => {
    const tx = new V29Modulator(9600);
    tx.send(new Uint8Array(960));
    assert.equal(tx.pendingBits(), 960);
    assert.ok(tx.busy());
    const out = new Int16Array(160);
    // the training with its scrambled 1s (608 symbols, 2027 samples) takes no data bits
    for (let i = 0; i < 12; i++) assert.equal(tx.modulate(out), 160);
    assert.equal(tx.pendingBits(), 960);
    assert.equal(tx.modulate(out), 160);
    assert.ok(tx.pendingBits() < 960);
    tx.stop();
    assert.equal(tx.pendingBits(), 0);
    assert.ok(!tx.busy());
    assert.equal(tx.modulate(out), 0);
  });
});
