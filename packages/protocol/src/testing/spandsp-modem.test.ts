import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { seededRandom } from './lossy-link.js';
import {
  buildSpandspModem,
  type SpandspModemKind,
  spandspReceiveBits,
  spandspReceiveFrames,
  spandspTransmitBits,
  spandspTransmitFrames,
} from './spandsp-modem.js';

function randomBits(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
}

/** Index of `needle` in `haystack`, or −1. */
function indexOfBits(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

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
      const at = indexOfBits(received.bits, bits.subarray(0, 64));
      assert.ok(at >= 0 && at < 8, `data found at bit ${at}`);
      assert.deepEqual(received.bits.subarray(at, at + bits.length), bits);
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

  it('sends V.17 short training when asked, which a fresh receiver cannot train on', async () => {
    const bits = randomBits(500, 3);
    const long = await spandspTransmitBits({ modem: 'v17', bitRate: 14400, bits });
    const short = await spandspTransmitBits({ modem: 'v17', bitRate: 14400, bits, shortTrain: true });
    // Long training is 1393 ms, short 142.5 ms.
    assert.ok(long.samples.length - short.samples.length > 9000, `${long.samples.length} vs ${short.samples.length}`);
  });
});
