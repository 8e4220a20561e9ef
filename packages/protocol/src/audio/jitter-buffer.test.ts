import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../testing/lossy-link.js';
import { JitterBuffer, type JitterBufferStats } from './jitter-buffer.js';

const FRAME = 160;
/** Sample n of the sender's signal: its index, offset past the buffer's silence threshold, wrapping every 30 000. */
const SIGNAL_BASE = 100;
const SIGNAL_PERIOD = 30_000;
const signalValue = (n: number) => SIGNAL_BASE + (n % SIGNAL_PERIOD);

interface LinkModel {
  readonly seed: number;
  /** Sender clock error: the sender's 8000 Hz runs at 8000 × (1 + ppm / 10⁶) of the receiver's. */
  readonly ppm: number;
  /** Each packet's delay is a base plus a uniform 0…jitter samples, so packets overtake each other. */
  readonly jitter: number;
  readonly loss: number;
  readonly duplication: number;
  /** Packets sent. */
  readonly packets: number;
  /** Every `quietEvery` packets the sender sends `quietPackets` packets of silence (a gap between fax signals). */
  readonly quietEvery?: number;
  readonly quietPackets?: number;
  readonly firstSequenceNumber?: number;
  readonly firstTimestamp?: number;
  /** Samples per packet: 160 (20 ms) unless given; pulls are always 160. */
  readonly packetSamples?: number;
}

interface RunResult {
  readonly stats: JitterBufferStats;
  readonly pulled: number;
  /** Source indices of the played signal samples, in playout order. */
  readonly played: number[];
  /** Samples played as missing from the start of playout to the stream's last sample. */
  readonly missingWhilePlaying: number;
  /** Samples played as missing after it, in the last frame. */
  readonly trailing: number;
  readonly sentUnique: number;
  readonly lostPackets: Set<number>;
  readonly duplicatesSent: number;
  /** Late packets by the time half the packets had arrived. */
  readonly lateInFirstHalf: number;
}

function isQuiet(model: LinkModel, packet: number): boolean {
  const every = model.quietEvery;
  return every !== undefined && packet % every >= every - (model.quietPackets ?? 0);
}

/** Sends the model's stream through the buffer and pulls frames on the receiver's clock until all is played. */
function run(model: LinkModel, buffer = new JitterBuffer()): RunResult {
  const random = seededRandom(model.seed);
  const firstSeq = model.firstSequenceNumber ?? 0;
  const firstTs = model.firstTimestamp ?? 0;
  const size = model.packetSamples ?? FRAME;
  const arrivals: { at: number; packet: number }[] = [];
  const lostPackets = new Set<number>();
  let duplicatesSent = 0;
  const base = 400;
  for (let k = 0; k < model.packets; k++) {
    const sentAt = (k * size) / (1 + model.ppm / 1e6);
    if (random() < model.loss) {
      lostPackets.add(k);
      continue;
    }
    arrivals.push({ at: sentAt + base + random() * model.jitter, packet: k });
    if (random() < model.duplication) {
      duplicatesSent++;
      arrivals.push({ at: sentAt + base + random() * model.jitter, packet: k });
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  const out = new Int16Array(FRAME);
  const played: number[] = [];
  let missingWhilePlaying = 0;
  let next = 0;
  let pulled = 0;
  let trailing = 0;
  let lateInFirstHalf = 0;
  // Pull until every packet has arrived and been played: trailing frames after the stream's end would count as missing.
  for (let now = 0; next < arrivals.length || buffer.bufferedSamples > 0; now += FRAME) {
    while (next < arrivals.length && arrivals[next].at <= now) {
      const k = arrivals[next++].packet;
      const quiet = isQuiet(model, k);
      const samples = Int16Array.from({ length: size }, (_, i) => (quiet ? 0 : signalValue(k * size + i)));
      buffer.push(
        { sequenceNumber: (firstSeq + k) & 0xffff, timestamp: (firstTs + k * size) >>> 0, samples },
        Math.floor(arrivals[next - 1].at),
      );
    }
    if (next <= arrivals.length / 2) lateInFirstHalf = buffer.stats.late;
    const frame = buffer.pull(now, out);
    pulled += out.length;
    let counted = 0;
    for (let i = 0; i < FRAME; i++) {
      if (frame.missing[i]) counted++;
      else if (out[i] !== 0) played.push(out[i]);
    }
    assert.equal(frame.missingCount, counted, 'missingCount agrees with the mask');
    if (frame.playing) missingWhilePlaying += counted;
    if (next === arrivals.length && buffer.bufferedSamples === 0) {
      // The stream's last frame runs past its end when corrections have shifted the frames off the packets.
      let tail = 0;
      while (tail < FRAME && frame.missing[FRAME - 1 - tail]) tail++;
      missingWhilePlaying -= tail;
      trailing = tail;
    }
  }
  return {
    stats: buffer.stats,
    pulled,
    played: unwrapIndices(played),
    missingWhilePlaying,
    trailing,
    sentUnique: model.packets - lostPackets.size,
    lostPackets,
    duplicatesSent,
    lateInFirstHalf,
  };
}

/** Recovers source indices from played values, which wrap every SIGNAL_PERIOD. */
function unwrapIndices(values: number[]): number[] {
  const indices: number[] = [];
  let last = -1;
  for (const value of values) {
    const residue = value - SIGNAL_BASE;
    let index = last - (((last % SIGNAL_PERIOD) + SIGNAL_PERIOD) % SIGNAL_PERIOD) + residue;
    if (index <= last - SIGNAL_PERIOD / 2) index += SIGNAL_PERIOD;
    indices.push(index);
    last = index;
  }
  return indices;
}

/** Playout kept the sender's order and never played a sample twice. */
function assertOrdered(played: number[]): void {
  for (let i = 1; i < played.length; i++) {
    if (played[i] <= played[i - 1]) assert.fail(`sample ${played[i]} played after ${played[i - 1]} (at ${i})`);
  }
}

/** Every signal sample between the first and last played was played, except those the buffer says it dropped. */
function assertNothingLostButDropped(model: LinkModel, result: RunResult): void {
  const { played, stats } = result;
  const first = played[0];
  const last = played.at(-1)!;
  let quiet = 0;
  const size = model.packetSamples ?? FRAME;
  for (let k = Math.floor(first / size); k <= Math.floor(last / size); k++) {
    if (isQuiet(model, k)) quiet += Math.max(0, Math.min(last + 1, (k + 1) * size) - Math.max(first, k * size));
  }
  const skipped = last - first + 1 - quiet - played.length;
  assert.ok(skipped <= stats.droppedSamples, `${skipped} samples skipped, ${stats.droppedSamples} dropped`);
}

describe('JitterBuffer', () => {
  it('plays a clean stream whole and in order after the initial depth', () => {
    const result = run({ seed: 1, ppm: 0, jitter: 0, loss: 0, duplication: 0, packets: 200 });
    assert.equal(result.played.length, 200 * FRAME);
    assert.deepEqual(result.played.slice(0, 3), [0, 1, 2]);
    assertOrdered(result.played);
    assert.equal(result.missingWhilePlaying, 0);
    assert.equal(result.stats.accepted, 200);
    const nonZero = Object.entries(result.stats).filter(([name, value]) => name !== 'accepted' && value !== 0);
    assert.deepEqual(nonZero, []);
  });

  it('reorders, drops duplicates and flags each lost packet as 160 missing samples', () => {
    const result = run({ seed: 7, ppm: 0, jitter: 250, loss: 0.03, duplication: 0.05, packets: 1500 });
    assertOrdered(result.played);
    assert.ok(result.lostPackets.size > 20 && result.duplicatesSent > 40);
    assert.equal(result.stats.duplicates, result.duplicatesSent);
    assert.equal(result.stats.accepted, result.sentUnique);
    assert.equal(result.stats.late, 0);
    const lostInPlay = [...result.lostPackets].filter((k) => k > 0 && k < 1499).length;
    assert.equal(result.missingWhilePlaying + result.trailing, result.stats.missingSamples);
    assert.equal(result.missingWhilePlaying, lostInPlay * FRAME + result.stats.insertedSamples);
    assert.equal(result.played.length, result.sentUnique * FRAME - result.stats.droppedSamples);
  });

  it('plays 10 ms and 30 ms packets into 20 ms frames, a lost one flagged for its own length', () => {
    for (const packetSamples of [80, 240]) {
      const model = { seed: 8, ppm: 0, jitter: 150, loss: 0.03, duplication: 0.03, packets: 1500, packetSamples };
      const result = run(model);
      assertOrdered(result.played);
      assert.equal(result.stats.late, 0);
      const lostInPlay = [...result.lostPackets].filter((k) => k > 0 && k < model.packets - 1).length;
      assert.equal(result.missingWhilePlaying, lostInPlay * packetSamples + result.stats.insertedSamples);
      assert.equal(result.played.length, result.sentUnique * packetSamples - result.stats.droppedSamples);
    }
  });

  it('follows a sender 100 ppm fast or slow with a correction in silence every few minutes and none in signal', () => {
    // Ten minutes of 5 s bursts with 100 ms gaps, as a fax call's signals alternate with silence.
    for (const ppm of [100, -100, 300, -300]) {
      const model = {
        seed: 3,
        ppm,
        jitter: 80,
        loss: 0,
        duplication: 0,
        packets: 30_000,
        quietEvery: 250,
        quietPackets: 5,
      };
      const result = run(model);
      const { stats } = result;
      assertOrdered(result.played);
      assert.equal(stats.late, 0, `${ppm} ppm: late packets`);
      assert.equal(stats.forcedCorrections, 0, `${ppm} ppm: corrections inside a signal`);
      // 10 minutes at 100 ppm is 480 samples of drift, made up in steps of 160 samples or more.
      const drift = Math.round((30_000 * FRAME * ppm) / 1e6);
      assert.ok(Math.abs(stats.droppedSamples - stats.insertedSamples - drift) <= 480, `${ppm} ppm: ${drift}`);
      assert.ok(stats.quietCorrections >= 1 && stats.quietCorrections <= Math.abs(ppm) / 25, `${ppm} ppm`);
      assert.equal(ppm > 0 ? stats.insertedSamples : stats.droppedSamples, 0);
      assert.equal(result.missingWhilePlaying, stats.insertedSamples);
      assertNothingLostButDropped(model, result);
    }
  });

  it('corrects one sample per frame inside a signal that never pauses, losing nothing else', () => {
    for (const ppm of [150, -150]) {
      const model = { seed: 5, ppm, jitter: 40, loss: 0, duplication: 0, packets: 40_000 };
      const result = run(model);
      const { stats } = result;
      assertOrdered(result.played);
      assert.equal(stats.late, 0);
      assert.equal(stats.quietCorrections, 0);
      assert.ok(stats.forcedCorrections > 0, `${ppm} ppm`);
      assert.equal(stats.droppedSamples + stats.insertedSamples, stats.forcedCorrections);
      assert.equal(result.missingWhilePlaying, stats.insertedSamples);
      assertNothingLostButDropped(model, result);
    }
  });

  it('raises its depth after late packets, so a jittery link stops losing them', () => {
    const buffer = new JitterBuffer({ initialDepth: 0 });
    const result = run({ seed: 11, ppm: 0, jitter: 600, loss: 0, duplication: 0, packets: 6000 }, buffer);
    assertOrdered(result.played);
    assert.ok(result.lateInFirstHalf > 0);
    assert.ok(result.stats.insertedSamples > 0);
    // Once the depth has grown (within the first seconds), nothing more comes late.
    assert.equal(result.stats.late, result.lateInFirstHalf);
    assert.ok(buffer.headroom! >= 20);
  });

  it('unwraps sequence numbers and timestamps', () => {
    const result = run({
      seed: 2,
      ppm: 0,
      jitter: 200,
      loss: 0.01,
      duplication: 0.02,
      packets: 600,
      firstSequenceNumber: 0xff00,
      firstTimestamp: 0xffff_0000,
    });
    assertOrdered(result.played);
    assert.equal(result.stats.duplicates, result.duplicatesSent);
    assert.equal(result.stats.restarts, 0);
  });

  it('keeps order, exact length and consistent counters for any loss, duplication, jitter and clock error', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          ppm: fc.integer({ min: -300, max: 300 }),
          jitter: fc.integer({ min: 0, max: 240 }),
          loss: fc.double({ min: 0, max: 0.05, noNaN: true }),
          duplication: fc.double({ min: 0, max: 0.05, noNaN: true }),
          packets: fc.integer({ min: 1, max: 1500 }),
          packetSamples: fc.constantFrom(80, 160, 240),
          quietEvery: fc.constantFrom(undefined, 100),
          quietPackets: fc.constant(4),
        }),
        (model) => {
          const result = run(model);
          assertOrdered(result.played);
          assert.equal(result.pulled % FRAME, 0);
          assert.equal(result.stats.late, 0);
          assert.equal(result.stats.accepted, result.sentUnique);
          assert.equal(result.stats.duplicates, result.duplicatesSent);
          assert.equal(result.missingWhilePlaying + result.trailing, result.stats.missingSamples);
          const quietSent = Array.from({ length: model.packets }, (_, k) => k).filter(
            (k) => isQuiet(model, k) && !result.lostPackets.has(k),
          ).length;
          const signalSamples = (result.sentUnique - quietSent) * (model.packetSamples ?? FRAME);
          assert.ok(result.played.length <= signalSamples);
          assert.ok(result.played.length >= signalSamples - result.stats.droppedSamples);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('starts over when the stream jumps far (a new sender)', () => {
    const buffer = new JitterBuffer();
    const out = new Int16Array(FRAME);
    const packet = (sequenceNumber: number, timestamp: number) => ({
      sequenceNumber,
      timestamp,
      samples: new Int16Array(FRAME).fill(1000),
    });
    buffer.push(packet(1, 1000), 0);
    assert.equal(buffer.pull(160, out).playing, false);
    assert.equal(buffer.pull(320, out).playing, true);
    buffer.push(packet(5000, 9_000_000), 330);
    assert.equal(buffer.stats.restarts, 1);
    assert.equal(buffer.pull(480, out).playing, false);
    assert.equal(buffer.pull(800, out).playing, true);
    assert.deepEqual([...out.subarray(0, 2)], [1000, 1000]);
  });

  it('starts over on a new SSRC, even when its numbers follow on', () => {
    const buffer = new JitterBuffer();
    const out = new Int16Array(FRAME);
    const packet = (ssrc: number, n: number) => ({
      ssrc,
      sequenceNumber: n,
      timestamp: n * FRAME,
      samples: new Int16Array(FRAME).fill(ssrc),
    });
    buffer.push(packet(500, 1), 0);
    buffer.push(packet(500, 2), 160);
    buffer.pull(320, out);
    // The new source reuses sequence number 2: not a duplicate, it is another stream.
    buffer.push(packet(700, 2), 330);
    assert.deepEqual([buffer.stats.restarts, buffer.stats.duplicates, buffer.stats.accepted], [1, 0, 3]);
    assert.equal(buffer.pull(480, out).playing, false);
    assert.equal(buffer.pull(800, out).playing, true);
    assert.equal(out[0], 700);
  });
});
