import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../testing/lossy-link.js';
import { RtpSequencer } from './rtp-sequencer.js';

/** A 160-sample packet whose samples all carry its index, so the order can be read back. */
const packet = (index: number) => new Int16Array(160).fill(index);

/** What the sequencer handed on, as packet indices (−1 for a gap), one per 160 samples. */
function order(sequencer: RtpSequencer): number[] {
  const { samples, missing } = sequencer.take();
  const out: number[] = [];
  for (let at = 0; at < samples.length; at += 160) out.push(missing?.[at] ? -1 : (samples[at] as number));
  return out;
}

describe('RtpSequencer', () => {
  it('hands packets on in sequence order as soon as they are in order, across the 16-bit wrap', () => {
    const sequencer = new RtpSequencer();
    const first = 65_533;
    sequencer.push(first, packet(0));
    assert.deepEqual(order(sequencer), [0]);
    sequencer.push((first + 2) & 0xffff, packet(2));
    sequencer.push((first + 1) & 0xffff, packet(1));
    sequencer.push((first + 4) & 0xffff, packet(4));
    assert.deepEqual(order(sequencer), [1, 2]);
    sequencer.push((first + 3) & 0xffff, packet(3));
    assert.deepEqual(order(sequencer), [3, 4]);
  });

  it('gives a missing packet up once three later ones are in, or after three takes, as a gap for fill-in', () => {
    const sequencer = new RtpSequencer();
    sequencer.push(10, packet(0));
    sequencer.push(12, packet(2));
    assert.deepEqual(order(sequencer), [0]);
    sequencer.push(13, packet(3));
    assert.deepEqual(order(sequencer), []);
    sequencer.push(14, packet(4));
    assert.deepEqual(order(sequencer), [-1, 2, 3, 4]);
    sequencer.push(16, packet(6));
    assert.deepEqual([order(sequencer), order(sequencer), order(sequencer)], [[], [], []]);
    assert.deepEqual(order(sequencer), [-1, 6]);
  });

  it('drops repeats and packets whose place has gone, and counts them', () => {
    const sequencer = new RtpSequencer();
    for (const n of [1, 2, 2, 3]) sequencer.push(n, packet(n));
    assert.deepEqual(order(sequencer), [1, 2, 3]);
    sequencer.push(2, packet(2));
    sequencer.push(4, packet(4));
    sequencer.push(4, packet(4));
    assert.deepEqual(order(sequencer), [4]);
    assert.equal(sequencer.late, 3);
  });

  it('starts afresh for a new SSRC, or sequence numbers far from the stream’s, dropping what the old stream left', () => {
    const sequencer = new RtpSequencer();
    sequencer.push(100, packet(1), 7);
    sequencer.push(102, packet(3), 7);
    assert.deepEqual(order(sequencer), [1]);
    sequencer.push(5, packet(10), 8);
    sequencer.push(6, packet(11), 8);
    assert.deepEqual(order(sequencer), [10, 11]);
    sequencer.push(40_000, packet(20), 8);
    assert.deepEqual(order(sequencer), [20]);
    assert.equal(sequencer.late, 0);
  });

  it('any arrival order with loss and repeats: every packet that arrives in time is handed on once, in order', () => {
    const random = seededRandom(3);
    const sequencer = new RtpSequencer();
    const arrivals: { at: number; n: number }[] = [];
    for (let n = 0; n < 2000; n++) {
      if (random() < 0.05) continue;
      arrivals.push({ at: n + random() * 2.5, n });
      if (random() < 0.05) arrivals.push({ at: n + random() * 4, n });
    }
    arrivals.sort((a, b) => a.at - b.at);
    const out: number[] = [];
    let next = 0;
    for (let tick = 0; tick < 2010; tick++) {
      for (; next < arrivals.length && (arrivals[next] as { at: number }).at <= tick; next++) {
        const { n } = arrivals[next] as { n: number };
        sequencer.push((n + 40_000) & 0xffff, packet(n % 30_000));
      }
      out.push(...order(sequencer));
    }
    const handed = out.filter((n) => n >= 0);
    assert.deepEqual(
      handed,
      [...handed].sort((a, b) => a - b),
    );
    assert.equal(new Set(handed).size, handed.length);
    assert.equal(out.length, 2000, 'each sequence number exactly once, heard or as a gap');
  });
});
