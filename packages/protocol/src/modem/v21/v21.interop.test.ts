import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { concatBytes } from '../../bits/concat-bytes.js';
import { countBitErrors, randomBits } from '../../testing/bit-errors.js';
import {
  buildSpandspModem,
  spandspReceiveBits,
  spandspReceiveFrames,
  spandspTransmitBits,
  spandspTransmitFrames,
} from '../../testing/spandsp-modem.js';
import { impairSignal, type TestChannelOptions } from '../../testing/test-channel.js';
import { V21Demodulator } from './v21-demodulator.js';
import { encodeV21Burst, V21HdlcReceiver } from './v21-hdlc.js';
import { V21Modulator } from './v21-modulator.js';

function modulate(bits: Uint8Array): Int16Array {
  const modulator = new V21Modulator();
  modulator.send(bits);
  const out = new Int16Array(Math.ceil((bits.length * 80) / 3));
  assert.equal(modulator.modulate(out), out.length);
  return out;
}

/** faxd's receiver over the samples in 20 ms packets, then 200 ms of silence so the carrier drops. */
function faxdReceiveBits(samples: Int16Array): Uint8Array {
  const demodulator = new V21Demodulator();
  const bits: Uint8Array[] = [];
  for (let at = 0; at < samples.length; at += 160) bits.push(demodulator.receive(samples.subarray(at, at + 160)).bits);
  bits.push(demodulator.receive(new Int16Array(1600)).bits);
  return concatBytes(bits);
}

/** faxd's HDLC receiver over the samples in 20 ms packets; the packet starting at `lostAt` is filled in instead. */
function faxdReceiveFrames(samples: Int16Array, lostAt?: number): { bytes: number[]; fcsOk: boolean }[] {
  const receiver = new V21HdlcReceiver();
  const frames: { bytes: number[]; fcsOk: boolean }[] = [];
  const take = (part: Int16Array) => {
    for (const frame of receiver.receive(part).frames)
      frames.push({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk });
  };
  for (let at = 0; at < samples.length; at += 160) {
    if (at === lostAt) receiver.fillIn(160);
    else take(samples.subarray(at, at + 160));
  }
  take(new Int16Array(1600));
  return frames;
}

/** Impairments of issue 12's done-when: level ±10 dB at 30 dB SNR, and a ±100 ppm sample clock. */
const CHANNELS: readonly TestChannelOptions[] = [
  { snrDb: 30 },
  { gainDb: 10, snrDb: 30 },
  { gainDb: -10, snrDb: 30 },
  { clockPpm: 100, snrDb: 30 },
  { clockPpm: -100, snrDb: 30 },
];

/** T.30 frames as faxd stores them (MSB first): DIS-like, CSI-like with a 0x7E octet to stuff, and a short one. */
const FRAMES = [
  Uint8Array.of(0xff, 0xc8, 0x01, 0x00, 0x77, 0x1f, 0x01, 0x80),
  Uint8Array.of(0xff, 0xc0, 0x02, 0x7e, 0x7e, 0xfc, 0x04, 0x8c, 0xac, 0x2c, 0x4c, 0x04, 0x04, 0x04, 0x04),
  Uint8Array.of(0xff, 0xc8, 0xfa),
];
const EXPECTED_FRAMES = FRAMES.map((frame) => ({ bytes: Array.from(frame), fcsOk: true }));

describe('V.21 channel 2 against SpanDSP', () => {
  before(async () => {
    await buildSpandspModem();
  });

  const bits = randomBits(3000, 21);

  for (const channel of CHANNELS) {
    const name = JSON.stringify(channel);

    it(`faxd's modulator → SpanDSP's receiver, ${name}: no bit errors`, async () => {
      const samples = impairSignal(modulate(bits), { seed: 1, ...channel });
      const received = await spandspReceiveBits({ modem: 'v21', samples });
      const count = countBitErrors(bits, received.bits);
      assert.equal(count.errors, 0);
    });

    it(`SpanDSP's modulator → faxd's receiver, ${name}: no bit errors, nor more than SpanDSP's own receiver`, async () => {
      const sent = await spandspTransmitBits({ modem: 'v21', bits });
      const samples = impairSignal(sent.samples, { seed: 2, ...channel });
      const ours = countBitErrors(bits, faxdReceiveBits(samples));
      const theirs = countBitErrors(bits, (await spandspReceiveBits({ modem: 'v21', samples })).bits);
      assert.equal(ours.errors, 0);
      assert.ok(ours.offset <= 2, `data at bit ${ours.offset}`);
      assert.ok(ours.errors <= theirs.errors);
    });

    it(`HDLC frames: faxd → SpanDSP's fsk + hdlc receiver and SpanDSP's hdlc + fsk → faxd, ${name}`, async () => {
      const ours = impairSignal(modulate(encodeV21Burst(FRAMES)), { seed: 3, ...channel });
      const atSpandsp = await spandspReceiveFrames({ modem: 'v21', samples: ours });
      assert.deepEqual(
        atSpandsp.frames.map((frame) => ({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk })),
        EXPECTED_FRAMES,
      );
      const theirs = await spandspTransmitFrames({ modem: 'v21', frames: FRAMES });
      assert.deepEqual(faxdReceiveFrames(impairSignal(theirs.samples, { seed: 4, ...channel })), EXPECTED_FRAMES);
    });
  }

  it('a packet lost near the end of the preamble, filled in, costs no frame at either receiver', async () => {
    // Two flags before the first frame: fed as silence, the gap would drop the carrier and the framing with it, and
    // the flags left could not frame again in time.
    const theirs = await spandspTransmitFrames({ modem: 'v21', frames: FRAMES });
    assert.deepEqual(faxdReceiveFrames(theirs.samples, 6400), EXPECTED_FRAMES);
    const atSpandsp = await spandspReceiveFrames({
      modem: 'v21',
      samples: modulate(encodeV21Burst(FRAMES)),
      lost: [{ at: 7680, count: 160 }],
    });
    // SpanDSP reports the broken flags around the gap as a short bad frame; the frames themselves all arrive.
    assert.deepEqual(
      atSpandsp.frames
        .filter((frame) => frame.fcsOk)
        .map((frame) => ({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk })),
      EXPECTED_FRAMES,
    );
  });

  for (const [modem, bitRate] of [
    ['v17', 14400],
    ['v29', 9600],
    ['v27ter', 4800],
  ] as const) {
    it(`a ${modem} carrier heard while V.21 runs in parallel delivers no frame`, async () => {
      const sent = await spandspTransmitBits({ modem, bitRate, bits: randomBits(20_000, 23) });
      assert.deepEqual(faxdReceiveFrames(sent.samples), []);
    });
  }

  it('bit error rate at 20 dB SNR, both receivers on the same signals (20 000 bits each way)', async (t) => {
    const long = randomBits(20_000, 22);
    const rows: string[] = [];
    for (const [source, clean] of [
      ['faxd', modulate(long)],
      ['SpanDSP', (await spandspTransmitBits({ modem: 'v21', bits: long })).samples],
    ] as const) {
      const samples = impairSignal(clean, { snrDb: 20, seed: 5 });
      const ours = countBitErrors(long, faxdReceiveBits(samples));
      const theirs = countBitErrors(long, (await spandspReceiveBits({ modem: 'v21', samples })).bits);
      rows.push(
        `${source} modulator: faxd receiver ${ours.errors}/${long.length}, SpanDSP ${theirs.errors}/${long.length}`,
      );
      assert.ok(ours.errors <= theirs.errors, rows.at(-1));
    }
    t.diagnostic(`V.21 BER at 20 dB SNR: ${rows.join('; ')}`);
  });
});
