import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../testing/lossy-link.js';
import { gaussianSource } from '../../testing/test-channel.js';
import { TrellisEncoder } from './trellis-code.js';
import { V17_POINTS, V17_RATES, type V17Rate, v17BitsPerSymbol } from './v17-line.js';
import { TRACEBACK_SYMBOLS, ViterbiDecoder } from './viterbi-decoder.js';

interface Trial {
  readonly viterbiErrors: number;
  /** Symbols whose nearest point alone gives the wrong index (what a receiver without the trellis code would see). */
  readonly slicerErrors: number;
  readonly symbols: number;
}

/** Random data symbols through the encoder, Gaussian noise of `sigma` per dimension, then the decoder. */
function trial(rate: V17Rate, symbols: number, sigma: number, seed: number): Trial {
  const points = V17_POINTS[rate];
  const bits = v17BitsPerSymbol(rate);
  const random = seededRandom(seed);
  const noise = gaussianSource(seed + 1);
  const encoder = new TrellisEncoder();
  encoder.reset(1);
  const decoder = new ViterbiDecoder(points);
  decoder.reset(0, 1);
  const sent: number[] = [];
  let viterbiErrors = 0;
  let slicerErrors = 0;
  let decided = 0;
  for (let n = 0; n < symbols + TRACEBACK_SYMBOLS - 1; n++) {
    // past the last symbol, flush with more random symbols that are not counted
    const q = Math.floor(random() * (1 << bits));
    sent.push(q);
    const index = encoder.encode(q);
    const re = points.re[index]! + sigma * noise();
    const im = points.im[index]! + sigma * noise();
    let nearest = 0;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < points.size; k++) {
      const distance = (re - points.re[k]!) ** 2 + (im - points.im[k]!) ** 2;
      if (distance < nearestDistance) {
        nearestDistance = distance;
        nearest = k;
      }
    }
    if (n < symbols && nearest !== index) slicerErrors++;
    const out = decoder.decode(re, im);
    if (out < 0) {
      assert.ok(n < TRACEBACK_SYMBOLS - 1, `no decision at symbol ${n}`);
      continue;
    }
    if (out !== sent[decided]) viterbiErrors++;
    decided++;
  }
  assert.equal(decided, symbols);
  return { viterbiErrors, slicerErrors, symbols };
}

describe('V.17 Viterbi decoder', () => {
  for (const rate of V17_RATES) {
    it(`${rate}: decodes every symbol of a noiseless stream ${TRACEBACK_SYMBOLS - 1} symbols late, Q1 and Q2 differentially`, () => {
      assert.deepEqual(trial(rate, 2000, 0, rate), { viterbiErrors: 0, slicerErrors: 0, symbols: 2000 });
    });

    it(`${rate}: with noise that makes the slicer err on about 1 % of symbols, the trellis code corrects nearly all`, (t) => {
      // σ = 0.19 × the minimum distance puts the boundary to the nearest wrong point 2.6 σ away
      const minimumDistance = { 14400: Math.SQRT2, 12000: 2, 9600: 2 * Math.SQRT2, 7200: 4 }[rate];
      const result = trial(rate, 20_000, 0.19 * minimumDistance, rate + 1);
      t.diagnostic(`slicer ${result.slicerErrors}, Viterbi ${result.viterbiErrors} of ${result.symbols} symbols`);
      assert.ok(result.slicerErrors > 100, `slicer errors ${result.slicerErrors}`);
      assert.ok(
        result.viterbiErrors * 20 < result.slicerErrors,
        `Viterbi ${result.viterbiErrors}, slicer ${result.slicerErrors}`,
      );
    });
  }

  for (const rate of V17_RATES) {
    it(`${rate}: a 90° turn of the line mid-stream costs only the symbols around it (the code's rotational invariance)`, () => {
      const points = V17_POINTS[rate];
      const encoder = new TrellisEncoder();
      encoder.reset(0);
      const decoder = new ViterbiDecoder(points);
      decoder.reset(0, 0);
      const random = seededRandom(rate + 7);
      const sent: number[] = [];
      const wrong: number[] = [];
      for (let n = 0; n < 3000; n++) {
        const q = Math.floor(random() * (1 << v17BitsPerSymbol(rate)));
        sent.push(q);
        const index = encoder.encode(q);
        const turned = n >= 1000;
        const q2 = decoder.decode(
          turned ? -points.im[index]! : points.re[index]!,
          turned ? points.re[index]! : points.im[index]!,
        );
        const at = n - (TRACEBACK_SYMBOLS - 1);
        if (q2 >= 0 && q2 !== sent[at]) wrong.push(at);
      }
      assert.ok(wrong.length <= 5 && wrong.every((at) => at >= 995 && at <= 1010), `wrong symbols ${wrong.join()}`);
    });
  }

  it('starts from the state it is given: a wrong starting dibit turns only the first symbol', () => {
    const points = V17_POINTS[14400];
    const encoder = new TrellisEncoder();
    encoder.reset(0);
    const decoder = new ViterbiDecoder(points);
    decoder.reset(0, 1);
    const out: number[] = [];
    for (let n = 0; n < 40; n++) {
      const index = encoder.encode(n % 64);
      const q = decoder.decode(points.re[index]!, points.im[index]!);
      if (q >= 0) out.push(q);
    }
    assert.notEqual(out[0], 0);
    assert.deepEqual(
      out.slice(1),
      Array.from({ length: out.length - 1 }, (_, n) => n + 1),
    );
  });
});
