import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  V17_POINTS,
  V17_RATES,
  V17_TRAINING,
  V17_TRAINING_POINTS_IM,
  V17_TRAINING_POINTS_RE,
  type V17Rate,
  type V17Training,
} from './v17-line.js';
import { V17Modulator } from './v17-modulator.js';

/** Exposes the symbols a V.17 transmitter produces, before pulse shaping. */
class V17SymbolProbe extends V17Modulator {
  symbol(): [number, number] {
    assert.ok(this.nextSymbol());
    return [this.symbolRe, this.symbolIm];
  }

  /** The next `count` symbols as training letters A–D. */
  letters(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) {
      const [re, im] = this.symbol();
      const k = V17_TRAINING_POINTS_RE.findIndex((r, j) => r === re && V17_TRAINING_POINTS_IM[j] === im);
      assert.ok(k >= 0, `symbol ${i} (${re}, ${im}) is not a training point`);
      text += 'ABCD'[k];
    }
    return text;
  }

  /** The next `count` symbols as constellation indices in hex. */
  indices(count: number): string {
    const points = V17_POINTS[this.rate];
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const [re, im] = this.symbol();
      let k = -1;
      for (let j = 0; j < points.size && k < 0; j++) if (points.re[j] === re && points.im[j] === im) k = j;
      assert.ok(k >= 0, `symbol ${i} (${re}, ${im}) is not a ${this.rate} point`);
      out.push(k.toString(16).padStart(2, '0').toUpperCase());
    }
    return out.join(' ');
  }
}

function trainingLength(training: V17Training): number {
  return V17_TRAINING[training].segments.reduce((sum, symbols) => sum + symbols, 0);
}

describe('V.17 transmitter', () => {
  it('long training: A/B alternations, then segment 2, then the bridge, as the reference vectors', () => {
    const tx = new V17SymbolProbe(14400);
    assert.equal(tx.letters(256), 'AB'.repeat(128));
    const segment2 = tx.letters(2976);
    assert.ok(segment2.startsWith('CDCDCDCDCDCDBDBDBDBDBABBBBBBBBCB'), segment2.slice(0, 32));
    assert.ok(segment2.endsWith('CCADCDDA'), segment2.slice(-8));
    assert.ok(tx.letters(64).startsWith('BBCDDADBACADACDB'));
  });

  it('short training: A/B alternations, then the 38 symbols of segment 2', () => {
    const tx = new V17SymbolProbe(14400, 'short');
    assert.equal(tx.letters(256), 'AB'.repeat(128));
    const segment2 = tx.letters(38);
    assert.ok(segment2.startsWith('CDCDCDCDCDCDBDBDBDBDBABBBBBBBBCB'), segment2);
    assert.ok(segment2.endsWith('CBCBCCCC'), segment2);
  });

  for (const [training, expected] of [
    ['long', '30 18 00 2A 7E 70 14 13 74 57 20 47'],
    ['short', '08 66 79 76 5B 70 74 1C 62 33 5E 53'],
  ] as const) {
    it(`segment 4 after the ${training} training at 14400 goes through the trellis encoder as the reference`, () => {
      const tx = new V17SymbolProbe(14400, training);
      for (let i = 0; i < trainingLength(training); i++) tx.symbol();
      assert.equal(tx.indices(12), expected);
    });
  }

  it('all-zero data after a long training maps to the reference points', () => {
    const tx = new V17SymbolProbe(14400);
    tx.send(new Uint8Array(6 * 100));
    for (let i = 0; i < trainingLength('long') + V17_TRAINING.long.onesSymbols; i++) tx.symbol();
    assert.equal(tx.indices(8), '42 70 2B 2F 13 52 3B 05');
  });

  for (const rate of V17_RATES) {
    it(`${rate}: every data symbol is a point of the ${rate} constellation`, () => {
      const tx = new V17SymbolProbe(rate as V17Rate, 'short');
      tx.send(new Uint8Array(rate).map((_, i) => ((i * 7919) % 5) & 1));
      for (let i = 0; i < trainingLength('short'); i++) tx.symbol();
      assert.equal(tx.indices(400).split(' ').length, 400);
    });
  }
});
