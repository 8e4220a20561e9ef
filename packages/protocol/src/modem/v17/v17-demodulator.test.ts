import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countBitErrors, randomBits } from '../../testing/bit-errors.js';
import { modulate } from '../../testing/psk-modem-trial.js';
import { impairSignal } from '../../testing/test-channel.js';
import { V17Demodulator } from './v17-demodulator.js';
import type { V17Training } from './v17-line.js';
import { V17Modulator } from './v17-modulator.js';

interface Burst {
  readonly events: string[];
  readonly bits: Uint8Array;
}

/** One burst of `bits` through a 30 dB channel into `rx`, then 200 ms of silence so the carrier drops. */
function burst(rx: V17Demodulator, training: V17Training, bits: Uint8Array, seed: number): Burst {
  const line = impairSignal(modulate(new V17Modulator(14400, training), bits), { snrDb: 30, seed });
  const padded = new Int16Array(line.length + 1600);
  padded.set(line);
  const events: string[] = [];
  const out: number[] = [];
  for (let at = 0; at < padded.length; at += 160) {
    const output = rx.receive(padded.subarray(at, at + 160));
    for (const event of output.events) events.push(event.kind);
    for (const bit of output.bits) out.push(bit);
  }
  return { events, bits: Uint8Array.from(out) };
}

describe('V.17 receiver, faxd to faxd', () => {
  it('after a trained burst expects the short training (a page after TCF), and trainLong takes a long one again', () => {
    const bits = randomBits(6000, 17);
    const rx = new V17Demodulator(14400);
    const tcf = burst(rx, 'long', bits, 1);
    assert.deepEqual(tcf.events, ['carrier-up', 'training-succeeded', 'carrier-down']);
    const page = burst(rx, 'short', bits, 2);
    assert.deepEqual(page.events, ['carrier-up', 'training-succeeded', 'carrier-down']);
    assert.equal(countBitErrors(bits, page.bits, 0).errors, 0);
    // a long training where a short one is expected fails (as SpanDSP's receiver does)
    assert.ok(burst(rx, 'long', bits, 3).events.includes('training-failed'));
    rx.trainLong();
    const again = burst(rx, 'long', bits, 4);
    assert.deepEqual(again.events, ['carrier-up', 'training-succeeded', 'carrier-down']);
    assert.equal(countBitErrors(bits, again.bits, 0).errors, 0);
  });

  it('a short training with nothing learnt before it trains on nothing', () => {
    const rx = new V17Demodulator(14400);
    const page = burst(rx, 'short', randomBits(6000, 18), 5);
    assert.ok(!page.events.includes('training-succeeded'), page.events.join());
    assert.equal(page.bits.length, 0);
  });
});
