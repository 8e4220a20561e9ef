import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { countBitErrors, randomBits } from './bit-errors.js';
import {
  buildSpandspModem,
  type SpandspModemKind,
  spandspReceiveBits,
  spandspReceiveFrames,
  spandspTransmitBits,
  spandspTransmitFrames,
} from './spandsp-modem.js';

const RATES: readonly [SpandspModemKind, number][] = [
  ['v21', 300],
  ['v27ter', 2400],
  ['v27ter', 4800],
  ['v29', 4800],
  ['v29', 7200],
  ['v29', 9600],
  ['v17', 7200],
  ['v17', 9600],
  ['v17', 12000],
  ['v17', 14400],
];

describe('SpanDSP modem harness (modem-peer.c), SpanDSP to SpanDSP', () => {
  before(async () => {
    await buildSpandspModem();
  });

  for (const [modem, bitRate] of RATES) {
    it(`${modem} at ${bitRate} bit/s carries 2000 random bits without error after training`, async () => {
      const bits = randomBits(2000, bitRate);
      const sent = await spandspTransmitBits({ modem, bitRate, bits });
      assert.equal(sent.bitCount, bits.length);
      const received = await spandspReceiveBits({ modem, bitRate, samples: sent.samples });
      const statuses = received.events.map((event) => event.status);
      assert.equal(statuses[0], 'carrier-up');
      if (modem !== 'v21') assert.ok(statuses.includes('training-succeeded'), statuses.join());
      assert.equal(statuses.at(-1), 'carrier-down');
      // The receiver may put out a few bits before the data (V.21 has no training to hide its first decisions).
      const count = countBitErrors(bits, received.bits);
      assert.ok(count.offset < 8, `data found at bit ${count.offset}`);
      assert.equal(count.errors, 0);
    });
  }

  it('carries HDLC frames over V.21 with a 32-flag preamble, in faxd octet order with the FCS verdict', async () => {
    const frames = [Uint8Array.of(0xff, 0xc0, 0x80, 0x00, 0x1f), Uint8Array.of(0xff, 0xc8, 0x01, 0x80, 0x40, 0x7e)];
    const sent = await spandspTransmitFrames({ modem: 'v21', frames });
    // 32 flags of preamble alone last 853 ms.
    assert.ok(sent.samples.length > (32 * 8 * 8000) / 300);
    const received = await spandspReceiveFrames({ modem: 'v21', samples: sent.samples });
    assert.deepEqual(
      received.frames.map((frame) => [Array.from(frame.bytes), frame.fcsOk]),
      frames.map((frame) => [Array.from(frame), true]),
    );
    assert.ok(received.events.some((event) => event.status === 'framing-ok'));
  });

  it('sends V.17 bursts after the first with short training, which the SpanDSP receiver follows', async () => {
    const bits = randomBits(500, 3);
    const long = await spandspTransmitBits({ modem: 'v17', bitRate: 14400, bits, bursts: 2 });
    const short = await spandspTransmitBits({ modem: 'v17', bitRate: 14400, bits, bursts: 2, shortTrain: true });
    // Long training is 3344 symbols, short 342: the second burst is 3002 symbols (10 007 samples) shorter, give or
    // take the 160-sample chunk in which each burst's shutdown ends.
    const saved = long.samples.length - short.samples.length;
    assert.ok(saved > 10_007 - 160 && saved < 10_007 + 160, `${saved}`);
    const received = await spandspReceiveBits({ modem: 'v17', bitRate: 14400, samples: short.samples });
    const trained = received.events.filter((event) => event.status === 'training-succeeded');
    assert.equal(trained.length, 2);
    assert.equal(countBitErrors(bits, received.bits).errors, 0);
    const second = received.bits.subarray(received.bits.length / 2);
    assert.equal(countBitErrors(bits, second).errors, 0);
  });

  it('stands in for lost samples with the receiver fill-in: the carrier holds and the lost bits are missing', async () => {
    const bits = randomBits(30_000, 4);
    const sent = await spandspTransmitBits({ modem: 'v17', bitRate: 14400, bits });
    const whole = await spandspReceiveBits({ modem: 'v17', bitRate: 14400, samples: sent.samples });
    const lossy = await spandspReceiveBits({
      modem: 'v17',
      bitRate: 14400,
      samples: sent.samples,
      lost: [{ at: 16_000, count: 160 }],
    });
    assert.deepEqual(
      lossy.events.map((event) => event.status),
      whole.events.map((event) => event.status),
    );
    // 20 ms at 14 400 bit/s.
    assert.equal(whole.bits.length - lossy.bits.length, 288);
  });
});
