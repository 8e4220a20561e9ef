import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../bits/concat-bytes.js';
import { countBitErrors, randomBits } from '../../testing/bit-errors.js';
import { demodulate, modulate } from '../../testing/psk-modem-trial.js';
import { gaussianSource, impairSignal } from '../../testing/test-channel.js';
import { V17Demodulator } from '../v17/v17-demodulator.js';
import { V17Modulator } from '../v17/v17-modulator.js';
import { V21Modulator } from '../v21/v21-modulator.js';
import { V27terDemodulator } from '../v27ter/v27ter-demodulator.js';
import { V27terModulator } from '../v27ter/v27ter-modulator.js';
import { V29Demodulator } from '../v29/v29-demodulator.js';
import { V29Modulator } from '../v29/v29-modulator.js';
import type { PskDemodulator } from './psk-demodulator.js';
import type { PskModulator } from './psk-modulator.js';

interface Modem {
  readonly name: string;
  readonly bitRate: number;
  /** A 20 ms packet in the middle of the training's known symbols. */
  readonly trainingPacket: number;
  readonly modulator: (levelDbm0?: number) => PskModulator;
  readonly demodulator: () => PskDemodulator;
  /** The transmitter of a page after TCF, when it differs (V.17 trains short). */
  readonly pageModulator?: () => PskModulator;
}

const MODEMS: readonly Modem[] = [
  ...([4800, 2400] as const).map((rate) => ({
    name: `V.27ter ${rate}`,
    bitRate: rate,
    // segment 4 runs from about 50 (70) ms to 720 (960) ms
    trainingPacket: rate === 4800 ? 18 : 24,
    modulator: (level?: number) => new V27terModulator(rate, level),
    demodulator: () => new V27terDemodulator(rate),
  })),
  ...([9600, 7200, 4800] as const).map((rate) => ({
    name: `V.29 ${rate}`,
    bitRate: rate,
    // segment 3 runs from 73 to 233 ms
    trainingPacket: 6,
    modulator: (level?: number) => new V29Modulator(rate, level),
    demodulator: () => new V29Demodulator(rate),
  })),
  ...([14400, 7200] as const).map((rate) => ({
    name: `V.17 ${rate}`,
    bitRate: rate,
    // segment 2 of the long training runs from 0.11 s to 1.35 s
    trainingPacket: 30,
    modulator: (level?: number) => new V17Modulator(rate, 'long', level),
    demodulator: () => new V17Demodulator(rate),
    pageModulator: () => new V17Modulator(rate, 'short'),
  })),
];

/** The burst after `lead` samples of silence, noise (if any) over both. */
function withLead(samples: Int16Array, lead: number): Int16Array {
  const out = new Int16Array(lead + samples.length);
  out.set(samples, lead);
  return out;
}

/** `samples` in 20 ms packets, packet `lost` replaced by the demodulator's fill-in, then 200 ms of silence. */
function receiveWithLoss(
  rx: PskDemodulator,
  samples: Int16Array,
  lost: number,
): { bits: Uint8Array; events: string[] } {
  const chunks: Uint8Array[] = [];
  const events: string[] = [];
  for (let packet = 0; packet * 160 < samples.length + 1600; packet++) {
    if (packet === lost) {
      rx.fillIn(160);
      continue;
    }
    const chunk = new Int16Array(160);
    chunk.set(samples.subarray(packet * 160, packet * 160 + 160));
    const output = rx.receive(chunk);
    chunks.push(output.bits);
    for (const event of output.events) events.push(event.kind);
  }
  return { bits: concatBytes(chunks), events };
}

describe('PSK demodulators, faxd to faxd', () => {
  for (const modem of MODEMS) {
    it(`${modem.name}: trains on the burst though noise above the carrier threshold came first`, () => {
      const bits = randomBits(5000, modem.bitRate);
      // 20 dB below a signal 10 dB above nominal: noise at about −34 dBm0 for 100 ms, then the burst
      const line = impairSignal(withLead(modulate(modem.modulator(), bits), 800), { gainDb: 10, snrDb: 20, seed: 5 });
      const received = demodulate(modem.demodulator(), line);
      assert.ok(received.events.includes('training-succeeded'), received.events.join());
      assert.equal(countBitErrors(bits, received.bits, 0).errors, 0);
    });

    it(`${modem.name}: a carrier 10 Hz off nominal either way costs no bits at 30 dB SNR`, () => {
      const bits = randomBits(4000, modem.bitRate + 5);
      const clean = modulate(modem.modulator(), bits);
      for (const hz of [10, -10]) {
        const line = impairSignal(clean, { frequencyOffsetHz: hz, snrDb: 30, seed: 6 });
        const received = demodulate(modem.demodulator(), line);
        assert.ok(received.events.includes('training-succeeded'), `${hz} Hz: ${received.events.join()}`);
        assert.equal(countBitErrors(bits, received.bits, 0).errors, 0, `${hz} Hz`);
      }
    });

    it(`${modem.name}: trains at −43 dBm0 and hears nothing at −50 dBm0`, () => {
      const bits = randomBits(2000, modem.bitRate + 1);
      const low = demodulate(modem.demodulator(), modulate(modem.modulator(-43), bits));
      assert.deepEqual(low.events, ['carrier-up', 'training-succeeded', 'carrier-down']);
      assert.equal(countBitErrors(bits, low.bits, 0).errors, 0);
      const below = demodulate(modem.demodulator(), modulate(modem.modulator(-50), bits));
      assert.deepEqual(below.events, []);
      assert.equal(below.bits.length, 0);
    });

    it(`${modem.name}: a lost packet filled in keeps the carrier, costs its own bits and a short burst after`, () => {
      const bits = randomBits(modem.bitRate * 3, modem.bitRate + 2);
      const samples = withLead(modulate(modem.modulator(), bits), 160);
      // a packet 0.4 s into the data never arrives (after the training and shutdown an empty burst takes)
      const lostPacket = Math.ceil(modulate(modem.modulator(), new Uint8Array(0)).length / 160) + 20;
      const { bits: received, events } = receiveWithLoss(modem.demodulator(), samples, lostPacket);
      assert.deepEqual(events, ['carrier-up', 'training-succeeded', 'carrier-down']);
      // the last second arrives intact, 20 ms of bits (give or take a symbol) early: they were lost with the packet
      const tail = bits.subarray(bits.length - modem.bitRate);
      const lostAt = (lost: number) =>
        countBitErrors(tail, received.subarray(bits.length - tail.length - lost), 0).errors;
      const lost = Array.from({ length: 9 }, (_, i) => modem.bitRate / 50 - 4 + i).find((n) => lostAt(n) === 0);
      assert.ok(lost !== undefined, 'the data after the lost packet is not there');
    });

    it(`${modem.name}: trains again on a second burst 75 ms after the first (TCF, then the page)`, () => {
      const first = randomBits(modem.bitRate, modem.bitRate + 3);
      const second = randomBits(2 * modem.bitRate, modem.bitRate + 4);
      const one = modulate(modem.modulator(), first);
      const two = modulate((modem.pageModulator ?? modem.modulator)(), second);
      const line = new Int16Array(one.length + 600 + two.length);
      line.set(one);
      line.set(two, one.length + 600);
      const rx = modem.demodulator();
      const bursts: Uint8Array[][] = [[]];
      const events: string[] = [];
      for (let at = 0; at < line.length + 1600; at += 160) {
        const chunk = new Int16Array(160);
        chunk.set(line.subarray(at, at + 160));
        const output = rx.receive(chunk);
        let from = 0;
        for (const event of output.events) {
          events.push(event.kind);
          bursts.at(-1)!.push(output.bits.subarray(from, event.bitIndex));
          from = event.bitIndex;
          if (event.kind === 'carrier-down') bursts.push([]);
        }
        bursts.at(-1)!.push(output.bits.subarray(from));
      }
      assert.deepEqual(events, [
        'carrier-up',
        'training-succeeded',
        'carrier-down',
        'carrier-up',
        'training-succeeded',
        'carrier-down',
      ]);
      assert.equal(countBitErrors(first, concatBytes(bursts[0]!), 0).errors, 0);
      assert.equal(countBitErrors(second, concatBytes(bursts[1]!), 0).errors, 0);
    });

    it(`${modem.name}: a V.21 burst (the far end answering in V.21 instead) never trains it`, () => {
      const v21 = new V21Modulator();
      v21.send(randomBits(300, 7).map((bit, i) => (i < 240 ? (0x7e >> (7 - (i % 8))) & 1 : bit)));
      const samples = new Int16Array(8000);
      const count = v21.modulate(samples);
      const received = demodulate(modem.demodulator(), samples.subarray(0, count));
      assert.ok(!received.events.includes('training-succeeded'), received.events.join());
      assert.equal(received.bits.length, 0);
    });

    it(`${modem.name}: a packet lost in the middle of the training, filled in, still lets it train`, () => {
      const bits = randomBits(modem.bitRate, modem.bitRate + 6);
      const received = receiveWithLoss(modem.demodulator(), modulate(modem.modulator(), bits), modem.trainingPacket);
      assert.deepEqual(received.events, ['carrier-up', 'training-succeeded', 'carrier-down']);
      assert.equal(countBitErrors(bits, received.bits, 0).errors, 0);
    });

    it(`${modem.name}: noise alone never trains and puts out no bits`, () => {
      const noise = gaussianSource(modem.bitRate);
      const samples = Int16Array.from({ length: 16000 }, () => Math.round(2000 * noise()));
      const received = demodulate(modem.demodulator(), samples);
      assert.ok(!received.events.includes('training-succeeded'), received.events.join());
      assert.equal(received.bits.length, 0);
    });
  }

  it('any samples in any chunking, with fill-ins, never throw; carrier reports alternate and bits need a training', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEMS),
        fc.array(
          fc.oneof(
            fc.int16Array({ minLength: 0, maxLength: 400 }),
            fc.integer({ min: 0, max: 400 }),
            // a loud burst: full-scale, as a clipped line delivers it
            fc
              .integer({ min: 1, max: 3000 })
              .map((length) => Int16Array.from({ length }, (_, i) => (i & 4 ? 32767 : -32768))),
          ),
          { maxLength: 40 },
        ),
        (modem, inputs) => {
          const rx = modem.demodulator();
          let carrier = false;
          let trained = false;
          for (const input of inputs) {
            if (typeof input === 'number') {
              rx.fillIn(input);
              continue;
            }
            const output = rx.receive(input);
            let from = 0;
            for (const event of output.events) {
              if (event.bitIndex > from) assert.ok(trained, 'bits before a training succeeded');
              from = event.bitIndex;
              if (event.kind === 'carrier-up') {
                assert.ok(!carrier);
                carrier = true;
                trained = false;
              } else if (event.kind === 'carrier-down') {
                assert.ok(carrier);
                carrier = false;
                trained = false;
              } else if (event.kind === 'training-succeeded') trained = true;
            }
            if (output.bits.length > from) assert.ok(trained, 'bits without a training');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a burst of another modem or at another rate never trains a demodulator', () => {
    for (const sender of MODEMS) {
      const samples = modulate(sender.modulator(), randomBits(2000, 9));
      for (const receiver of MODEMS) {
        if (receiver === sender) continue;
        const received = demodulate(receiver.demodulator(), samples);
        assert.ok(!received.events.includes('training-succeeded'), `${sender.name} trained ${receiver.name}`);
        assert.equal(received.bits.length, 0);
      }
    }
  });
});
