// Test support: runs faxd's PSK/QAM modems (V.27ter, V.29) against SpanDSP's same modem on linear samples, both
// ways, through the test channel, and counts bit errors (audio-fax reference §6.1–§6.2).

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { concatBytes } from '../bits/concat-bytes.js';
import { encodeHdlcBurst, HdlcDeframer } from '../hdlc/bit-stuffing.js';
import type { PskDemodulator, PskDemodulatorEventKind } from '../modem/psk/psk-demodulator.js';
import type { PskModulator } from '../modem/psk/psk-modulator.js';
import { countBitErrors, randomBits } from './bit-errors.js';
import {
  buildSpandspModem,
  type SpandspModemKind,
  spandspReceiveBits,
  spandspReceiveFrames,
  spandspTransmitBits,
  spandspTransmitFrames,
} from './spandsp-modem.js';
import { impairSignal, type TestChannelOptions } from './test-channel.js';

/** Everything a modulator sends for `bits`: training, data, shutdown. */
export function modulate(tx: PskModulator, bits: Uint8Array): Int16Array {
  tx.send(bits);
  tx.end();
  const chunks: Int16Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Int16Array(160);
    const count = tx.modulate(chunk);
    chunks.push(chunk.subarray(0, count));
    total += count;
    if (count < chunk.length) break;
  }
  const samples = new Int16Array(total);
  let at = 0;
  for (const chunk of chunks) {
    samples.set(chunk, at);
    at += chunk.length;
  }
  return samples;
}

export interface DemodulatedBits {
  readonly bits: Uint8Array;
  readonly events: readonly PskDemodulatorEventKind[];
}

/** A demodulator fed `samples` then 200 ms of silence, 160 samples at a time, as RTP would deliver them. */
export function demodulate(rx: PskDemodulator, samples: Int16Array): DemodulatedBits {
  const bits: Uint8Array[] = [];
  const events: PskDemodulatorEventKind[] = [];
  const padded = new Int16Array(samples.length + 1600);
  padded.set(samples);
  for (let i = 0; i < padded.length; i += 160) {
    const output = rx.receive(padded.subarray(i, i + 160));
    bits.push(output.bits);
    for (const event of output.events) events.push(event.kind);
  }
  return { bits: concatBytes(bits), events };
}

/** One modem at one rate, faxd's and SpanDSP's. */
export interface PskModemUnderTest {
  readonly modem: SpandspModemKind;
  readonly bitRate: number;
  readonly modulator: () => PskModulator;
  readonly demodulator: () => PskDemodulator;
}

export type Transmitting = 'faxd' | 'spandsp';

/** The line signal for `bits` from either side's transmitter, through the channel. */
export async function lineSignal(
  under: PskModemUnderTest,
  from: Transmitting,
  bits: Uint8Array,
  channel: TestChannelOptions,
): Promise<Int16Array> {
  const clean =
    from === 'faxd'
      ? modulate(under.modulator(), bits)
      : (await spandspTransmitBits({ modem: under.modem, bitRate: under.bitRate, bits })).samples;
  return throughChannel(clean, channel);
}

/**
 * A burst through the channel, after a little silence. Noise only from the burst's first sample on: at 30 dB SNR and
 * +10 dB level, or at 20 dB, the noise alone is above the fast modems' carrier threshold (−43 dBm0), and SpanDSP's
 * receiver, trained on noise ahead of the signal, parks until the carrier drops (audio-fax reference §4.3). The bit
 * error rates under test are those of the burst.
 */
export function throughChannel(clean: Int16Array, channel: TestChannelOptions): Int16Array {
  let first = 0;
  while (first < clean.length && clean[first] === 0) first++;
  const impaired = impairSignal(clean.subarray(first), channel);
  const signal = new Int16Array(LEAD_SILENCE + impaired.length);
  signal.set(impaired, LEAD_SILENCE);
  return signal;
}

/** Silence before each burst, as between the signals of a call. */
const LEAD_SILENCE = 400;

export interface BothReceivers {
  readonly faxdErrors: number;
  readonly faxdEvents: readonly PskDemodulatorEventKind[];
  readonly spandspErrors: number;
}

/** faxd's and SpanDSP's receivers on the same signal; errors counted from the first bit after training. */
export async function receiveWithBoth(
  under: PskModemUnderTest,
  signal: Int16Array,
  bits: Uint8Array,
): Promise<BothReceivers> {
  const faxd = demodulate(under.demodulator(), signal);
  const spandsp = await spandspReceiveBits({ modem: under.modem, bitRate: under.bitRate, samples: signal });
  return {
    faxdErrors: faxdBitErrors(bits, faxd.bits),
    faxdEvents: faxd.events,
    spandspErrors: countBitErrors(bits, spandsp.bits).errors,
  };
}

/** faxd's demodulators put out the first data bit first: the stream is compared from its start, not aligned. */
function faxdBitErrors(sent: Uint8Array, received: Uint8Array): number {
  return countBitErrors(sent, received, 0).errors;
}

const OTHER: Record<Transmitting, Transmitting> = { faxd: 'spandsp', spandsp: 'faxd' };

/**
 * The interop suite issue 12 asks of each modem, at every rate: both directions error-free at 30 dB SNR with the
 * level nominal and ±10 dB; with a ±100 ppm sample clock faxd's receiver makes no more errors than SpanDSP's on
 * the same signal; the bit error rates of both receivers at 20 dB SNR reported as diagnostics.
 */
export function describePskModemInterop(name: string, modems: readonly PskModemUnderTest[]): void {
  describe(`${name} against SpanDSP's ${name}`, () => {
    before(async () => {
      await buildSpandspModem();
    });

    for (const under of modems) {
      const rate = `${under.bitRate} bit/s`;
      for (const from of ['faxd', 'spandsp'] as const) {
        it(`${from} → ${OTHER[from]} at ${rate}: no bit errors at 30 dB SNR, at nominal level and ±10 dB`, async () => {
          const bits = randomBits(20_000, under.bitRate);
          for (const gainDb of [0, 10, -10]) {
            const signal = await lineSignal(under, from, bits, { snrDb: 30, gainDb, seed: gainDb + 20 });
            if (from === 'spandsp') {
              const received = demodulate(under.demodulator(), signal);
              assert.ok(received.events.includes('training-succeeded'), `${gainDb} dB: ${received.events.join()}`);
              assert.equal(faxdBitErrors(bits, received.bits), 0, `bit errors at ${gainDb} dB`);
            } else {
              const received = await spandspReceiveBits({
                modem: under.modem,
                bitRate: under.bitRate,
                samples: signal,
              });
              assert.ok(
                received.events.some((event) => event.status === 'training-succeeded'),
                `${gainDb} dB`,
              );
              assert.equal(countBitErrors(bits, received.bits).errors, 0, `bit errors at ${gainDb} dB`);
            }
          }
        });
      }

      it(`${rate}: with a ±100 ppm sample clock, faxd's receiver makes no more bit errors than SpanDSP's`, async (t) => {
        const bits = randomBits(60_000, under.bitRate + 1);
        for (const from of ['faxd', 'spandsp'] as const) {
          for (const clockPpm of [100, -100]) {
            const signal = await lineSignal(under, from, bits, { snrDb: 30, clockPpm, seed: 7 });
            const both = await receiveWithBoth(under, signal, bits);
            t.diagnostic(`${from} tx, ${clockPpm} ppm: faxd ${both.faxdErrors}, SpanDSP ${both.spandspErrors} errors`);
            assert.ok(both.faxdEvents.includes('training-succeeded'), `${from} tx, ${clockPpm} ppm`);
            assert.ok(
              both.faxdErrors <= both.spandspErrors,
              `${from} tx, ${clockPpm} ppm: faxd ${both.faxdErrors} > SpanDSP ${both.spandspErrors} errors`,
            );
          }
        }
      });

      it(`${rate}: ECM-style HDLC frames (200 ms of flags first) both ways at 30 dB SNR`, async () => {
        // an ECM burst's frames: FCD with 64 octets of page data each, then RCP (T.4 annex A)
        const frames = [0, 1, 2].map((n) =>
          Uint8Array.from({ length: 68 }, (_, i) => (i < 4 ? [0xff, 0x03, 0x06, n][i]! : (n * 31 + i * 7) & 0xff)),
        );
        frames.push(Uint8Array.of(0xff, 0x03, 0x86));
        const expected = frames.map((bytes) => ({ bytes: Array.from(bytes), fcsOk: true }));
        const preambleFlags = under.bitRate / 40;
        const ours = modulate(under.modulator(), encodeHdlcBurst(frames, preambleFlags));
        const atSpandsp = await spandspReceiveFrames({
          modem: under.modem,
          bitRate: under.bitRate,
          samples: throughChannel(ours, { snrDb: 30, seed: 11 }),
        });
        // SpanDSP's V.17 receiver decodes on for a few symbols after the carrier ends (its Viterbi decoder's delay and
        // hangover), which now and then makes a frame of noise after the burst, with a bad FCS, on its own modem's bursts
        // too: every frame sent must arrive intact, and nothing else intact.
        assert.deepEqual(
          atSpandsp.frames
            .filter((frame, i) => frame.fcsOk || i < expected.length)
            .map((frame) => ({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk })),
          expected,
        );
        const theirs = await spandspTransmitFrames({
          modem: under.modem,
          bitRate: under.bitRate,
          frames,
          preambleFlags,
        });
        const received = demodulate(under.demodulator(), throughChannel(theirs.samples, { snrDb: 30, seed: 12 }));
        const deframed = new HdlcDeframer().receive(received.bits);
        assert.deepEqual(
          deframed.map((frame) => ({ bytes: Array.from(frame.bytes), fcsOk: frame.fcsOk })),
          expected,
        );
      });

      it(`${rate}: bit error rates of both receivers at 20 dB SNR (diagnostics)`, async (t) => {
        const bits = randomBits(60_000, under.bitRate + 2);
        for (const from of ['faxd', 'spandsp'] as const) {
          const signal = await lineSignal(under, from, bits, { snrDb: 20, seed: 9 });
          const both = await receiveWithBoth(under, signal, bits);
          t.diagnostic(
            `20 dB, ${from} tx: BER faxd ${(both.faxdErrors / bits.length).toExponential(2)}, ` +
              `SpanDSP ${(both.spandspErrors / bits.length).toExponential(2)}`,
          );
          assert.ok(both.faxdEvents.includes('training-succeeded'), `${from} tx at 20 dB`);
        }
      });
    }
  });
}
