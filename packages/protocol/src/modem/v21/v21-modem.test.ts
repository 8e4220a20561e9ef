import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../bits/concat-bytes.js';
import { countBitErrors, randomBits } from '../../testing/bit-errors.js';
import { gaussianSource, impairSignal } from '../../testing/test-channel.js';
import { dbm0ForMeanSquare } from '../dsp/power-meter.js';
import { V21Demodulator } from './v21-demodulator.js';
import { encodeV21Burst, V21HdlcReceiver } from './v21-hdlc.js';
import { V21Modulator } from './v21-modulator.js';

/** The whole burst the modulator makes of `bits`. */
function modulate(bits: Uint8Array, levelDbm0?: number): Int16Array {
  const modulator = new V21Modulator({ levelDbm0 });
  modulator.send(bits);
  const out = new Int16Array(Math.ceil((bits.length * 80) / 3) + 160);
  const written = modulator.modulate(out);
  assert.equal(modulator.busy(), false);
  return out.slice(0, written);
}

function demodulate(samples: Int16Array, chunk = 160): { bits: Uint8Array; events: string[] } {
  const demodulator = new V21Demodulator();
  const bits: Uint8Array[] = [];
  const events: string[] = [];
  const padded = withSilence(0, samples, 800);
  for (let at = 0; at < padded.length; at += chunk) {
    const output = demodulator.receive(padded.subarray(at, at + chunk));
    bits.push(output.bits);
    for (const event of output.events) events.push(`${event.kind}@${event.sample}`);
  }
  return { bits: concatBytes(bits), events };
}

/** `samples` with `before` and `after` samples of silence around it. */
function withSilence(before: number, samples: Int16Array, after: number): Int16Array {
  const out = new Int16Array(before + samples.length + after);
  out.set(samples, before);
  return out;
}

function meanSquare(samples: Int16Array): number {
  return samples.reduce((sum, x) => sum + x * x, 0) / samples.length;
}

describe('V21Modulator', () => {
  it('sends 300 bit/s: bit n starts at the first sample at or after n·80/3', () => {
    assert.equal(modulate(randomBits(3, 1)).length, 80);
    assert.equal(modulate(randomBits(300, 1)).length, 8000);
    assert.equal(modulate(randomBits(301, 1)).length, 8027);
  });

  it('sends at −14 dBm0 unless told otherwise, phase-continuous across bit changes', () => {
    const samples = modulate(randomBits(600, 2));
    assert.ok(Math.abs(dbm0ForMeanSquare(meanSquare(samples)) + 14) < 0.1);
    // The steepest step of a 1850 Hz sine of peak 4554; a phase jump at a bit boundary would be far steeper.
    const steepest = 4554 * 2 * Math.sin((Math.PI * 1850) / 8000) + 30;
    for (let i = 1; i < samples.length; i++) assert.ok(Math.abs(samples[i] - samples[i - 1]) <= steepest, `at ${i}`);
    assert.ok(Math.abs(dbm0ForMeanSquare(meanSquare(modulate(randomBits(600, 2), -30))) + 30) < 0.1);
  });

  it('ends the burst after the last queued bit and starts the next one afresh', () => {
    const modulator = new V21Modulator();
    modulator.send(randomBits(10, 3));
    const out = new Int16Array(400);
    assert.equal(modulator.modulate(out), Math.ceil((10 * 80) / 3));
    assert.equal(modulator.modulate(out), 0);
    modulator.send(randomBits(10, 3));
    const again = new Int16Array(400);
    assert.equal(modulator.modulate(again), Math.ceil((10 * 80) / 3));
    assert.deepEqual(again, out);
    modulator.send(randomBits(100, 3));
    modulator.modulate(new Int16Array(100));
    modulator.stop();
    assert.equal(modulator.busy(), false);
    assert.equal(modulator.modulate(out), 0);
  });
});

describe('V21Demodulator', () => {
  const bits = randomBits(3000, 4);
  const clean = modulate(bits);

  for (const channel of [
    { gainDb: 10, snrDb: 30 },
    { gainDb: -10, snrDb: 30 },
    { clockPpm: 100, snrDb: 30 },
    { clockPpm: -100, snrDb: 30 },
    { gainDb: -10, snrDb: 12 },
  ]) {
    it(`decodes its own modulator without error through ${JSON.stringify(channel)}`, () => {
      const received = demodulate(impairSignal(clean, { seed: 9, ...channel }));
      const count = countBitErrors(bits, received.bits, 4);
      assert.equal(count.errors, 0);
      assert.equal(count.offset, 0);
    });
  }

  it('reports the carrier within milliseconds of its start and end, and puts out no bits without it', () => {
    const signal = withSilence(4000, clean, 4000);
    const received = demodulate(signal);
    assert.equal(received.events.length, 2);
    const [up, down] = received.events.map((event) => Number(event.split('@')[1]));
    assert.ok(received.events[0].startsWith('carrier-up') && up >= 4000 && up < 4016, received.events[0]);
    const end = 4000 + clean.length;
    assert.ok(received.events[1].startsWith('carrier-down') && down >= end && down < end + 160, received.events[1]);
    // The meter takes about 100 samples to fall 27.5 dB to the off threshold: up to 4 bits of the silence come out.
    assert.ok(
      received.bits.length >= bits.length && received.bits.length <= bits.length + 4,
      `${received.bits.length}`,
    );
  });

  it('hears nothing below the carrier-on threshold (−36.5 dBm0)', () => {
    const received = demodulate(modulate(bits.subarray(0, 300), -40));
    assert.deepEqual(received.events, []);
    assert.equal(received.bits.length, 0);
  });

  it('gives the same bits however the samples are split into calls', () => {
    const signal = impairSignal(clean.subarray(0, 8000), { snrDb: 20, seed: 2 });
    const whole = demodulate(signal, signal.length + 800).bits;
    for (const chunk of [1, 7, 160, 1000]) assert.deepEqual(demodulate(signal, chunk).bits, whole, `chunk ${chunk}`);
  });

  it('decides the same after silence given in calls of its own (which it skips through) as after silence it works through', () => {
    // Bursts of odd lengths at odd offsets, so the bit clock and the correlators' phases after each silence matter.
    const bursts = [117, 290, 64, 411].map((length, i) =>
      impairSignal(modulate(bits.subarray(i, i + length)), { snrDb: 25, seed: i }),
    );
    const silences = [3000, 1601, 160, 4807];
    const hear = (calls: Int16Array[]) => {
      const demodulator = new V21Demodulator();
      const out = calls.map((samples) => demodulator.receive(samples));
      return {
        bits: concatBytes(out.map((output) => output.bits)),
        events: out.flatMap((output) => output.events.map((event) => `${event.kind}@${event.sample}`)),
      };
    };
    // Each silence in 160-sample calls after its burst, or joined to its burst in one call.
    const apart = bursts.flatMap((burst, i) => [burst, ...chunks(new Int16Array(silences[i] as number), 160)]);
    const joined = bursts.map((burst, i) => withSilence(0, burst, silences[i] as number));
    const skipping = hear(apart);
    assert.deepEqual(skipping, hear(joined));
    assert.equal(skipping.events.length, 8);
    assert.ok(skipping.bits.length >= 117 + 290 + 64 + 411);
  });
});

function chunks(samples: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let at = 0; at < samples.length; at += size) out.push(samples.subarray(at, at + size));
  return out;
}

describe('V21HdlcReceiver', () => {
  const frames = [Uint8Array.of(0xff, 0xc0, 0x80, 0x00, 0x1f, 0x7e, 0xfe), Uint8Array.of(0xff, 0xc8, 0x01)];

  function receiveAll(receiver: V21HdlcReceiver, samples: Int16Array, lost?: { at: number; count: number }) {
    const padded = withSilence(0, samples, 1600);
    const got: { bytes: number[]; fcsOk: boolean }[] = [];
    const events: string[] = [];
    for (let at = 0; at < padded.length; at += 160) {
      if (lost && at >= lost.at && at < lost.at + lost.count) {
        receiver.fillIn(160);
        continue;
      }
      const output = receiver.receive(padded.subarray(at, at + 160));
      for (const frame of output.frames) got.push({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk });
      for (const event of output.events) events.push(event.kind);
    }
    return { frames: got, events };
  }

  const expected = frames.map((frame) => ({ bytes: Array.from(frame), fcsOk: true }));

  it('sends a 1 s preamble (38 flags), the frames and two closing flags, and receives the frames back', () => {
    const burst = encodeV21Burst(frames);
    assert.deepEqual(Array.from(burst.subarray(0, 16)), [0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0]);
    assert.deepEqual(Array.from(burst.subarray(-16)), [0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0]);
    const samples = modulate(burst);
    // 38 flags take 38·8·80/3 samples, 1.013 s.
    assert.ok(samples.length > 8107);
    const received = receiveAll(new V21HdlcReceiver(), impairSignal(samples, { gainDb: -10, snrDb: 30, seed: 5 }));
    assert.deepEqual(received.frames, expected);
    assert.deepEqual(received.events, ['carrier-up', 'framing-ok', 'carrier-down']);
  });

  it('takes frames only after 8 flags in a row, so a short preamble delivers nothing', () => {
    const receiver = new V21HdlcReceiver();
    assert.deepEqual(receiveAll(receiver, modulate(encodeV21Burst(frames, { preambleFlags: 6 }))).frames, []);
    assert.equal(receiver.framing(), false);
    assert.deepEqual(receiveAll(receiver, modulate(encodeV21Burst(frames, { preambleFlags: 9 }))).frames, expected);
  });

  it('delivers a frame with a bad FCS as such, and the next frame whole', () => {
    const burst = encodeV21Burst(frames);
    // Flip a data bit of the first frame, well past the preamble and clear of any stuffing decision.
    burst[38 * 8 + 12] ^= 1;
    const received = receiveAll(new V21HdlcReceiver(), modulate(burst));
    assert.equal(received.frames.length, 2);
    assert.equal(received.frames[0].fcsOk, false);
    assert.deepEqual(received.frames[1], expected[1]);
  });

  it('receives two bursts 75 ms apart as two carriers, each framed anew', () => {
    const burst = modulate(encodeV21Burst(frames));
    const twice = withSilence(0, burst, 600 + burst.length);
    twice.set(burst, burst.length + 600);
    const received = receiveAll(new V21HdlcReceiver(), twice);
    assert.deepEqual(received.frames, [...expected, ...expected]);
    assert.deepEqual(received.events, [
      'carrier-up',
      'framing-ok',
      'carrier-down',
      'carrier-up',
      'framing-ok',
      'carrier-down',
    ]);
  });

  it('bridges a lost packet in the preamble with fill-in and still delivers every frame', () => {
    const samples = modulate(encodeV21Burst(frames));
    const received = receiveAll(new V21HdlcReceiver(), samples, { at: 3200, count: 160 });
    assert.deepEqual(received.frames, expected);
  });

  it('delivers no frames from noise loud enough to raise the carrier', () => {
    const gaussian = gaussianSource(11);
    const noise = Int16Array.from({ length: 16000 }, () => Math.round(1500 * gaussian()));
    const received = receiveAll(new V21HdlcReceiver(), noise);
    assert.equal(received.events[0], 'carrier-up');
    assert.deepEqual(received.frames, []);
  });

  it('takes any samples in any chunking without failing, and finds no frame in them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }),
        (values, chunks) => {
          const samples = Int16Array.from(values);
          const receiver = new V21HdlcReceiver();
          let at = 0;
          for (let i = 0; at < samples.length; i++) {
            const size = chunks[i % chunks.length];
            assert.deepEqual(receiver.receive(samples.subarray(at, at + size)).frames, []);
            at += size;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
