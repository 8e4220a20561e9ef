import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { countBitErrors, randomBits } from '../../testing/bit-errors.js';
import {
  describePskModemInterop,
  modulate,
  receiveWithBoth,
  lineSignal as trialSignal,
} from '../../testing/psk-modem-trial.js';
import { buildSpandspModem, spandspReceiveBits, spandspTransmitBits } from '../../testing/spandsp-modem.js';
import { impairSignal } from '../../testing/test-channel.js';
import { V17Demodulator } from './v17-demodulator.js';
import { V17_RATES, type V17Rate } from './v17-line.js';
import { V17Modulator } from './v17-modulator.js';

/** Silence ahead of the first burst and between the two (T.30's 75 ms between TCF and a page). */
const LEAD_SILENCE = 400;
const GAP = 600;
/** Noise seeds per level: SpanDSP 0.0.6's short-train receiver fails now and then at 30 dB, on its own bursts too. */
const SEEDS = 8;
/** Bit error rate tolerated over a level's short-trained bursts (1e-3): one short burst of errors on one draw. */
const SHORT_TRAIN_ERROR_BUDGET = 1e-3;

type Transmitter = 'faxd' | 'spandsp';

/** A long-trained and a short-trained burst of the same bits, from faxd's or SpanDSP's transmitter, unimpaired. */
async function burstPair(from: Transmitter, rate: V17Rate, bits: Uint8Array): Promise<[Int16Array, Int16Array]> {
  if (from === 'faxd')
    return [modulate(new V17Modulator(rate, 'long'), bits), modulate(new V17Modulator(rate, 'short'), bits)];
  const sent = await spandspTransmitBits({ modem: 'v17', bitRate: rate, bits, bursts: 2, shortTrain: true });
  // split at the silence between the bursts: the last long run of zeros
  const samples = sent.samples;
  let second = samples.length;
  let zeros = 0;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i] !== 0) {
      if (zeros >= 300) second = i;
      zeros = 0;
    } else zeros++;
  }
  let firstEnd = second;
  while (firstEnd > 0 && samples[firstEnd - 1] === 0) firstEnd--;
  return [samples.subarray(0, firstEnd), samples.subarray(second)];
}

/**
 * The two bursts through the channel, each impaired on its own so the silence between them stays silent (noise at
 * 30 dB under a +10 dB signal is above the carrier threshold) and the receiver sees the carrier drop.
 */
function lineSignal(pair: [Int16Array, Int16Array], gainDb: number, seed?: number, clockPpm = 0): Int16Array {
  const snrDb = seed === undefined ? undefined : 30;
  const first = impairSignal(pair[0], { snrDb, gainDb, seed, clockPpm });
  const second = impairSignal(pair[1], { snrDb, gainDb, seed: (seed ?? 0) + 1000, clockPpm });
  const signal = new Int16Array(LEAD_SILENCE + first.length + GAP + second.length);
  signal.set(first, LEAD_SILENCE);
  signal.set(second, LEAD_SILENCE + first.length + GAP);
  return signal;
}

interface BurstResult {
  readonly trained: number;
  readonly longErrors: number;
  /** Errors in the second burst, when it trained. */
  readonly shortErrors: number;
}

async function spandspReceivesPair(rate: V17Rate, signal: Int16Array, bits: Uint8Array): Promise<BurstResult> {
  const received = await spandspReceiveBits({ modem: 'v17', bitRate: rate, samples: signal });
  const trained = received.events.filter((event) => event.status === 'training-succeeded').length;
  const one = countBitErrors(bits, received.bits);
  // the first burst's shutdown (32 symbols of 1s) and the receiver's hangover come out as data before the second burst
  const rest = received.bits.subarray(one.offset + bits.length);
  const two = trained === 2 ? countBitErrors(bits, rest, 100 * 6).errors : 0;
  return { trained, longErrors: one.errors, shortErrors: two };
}

/** faxd's receiver on both bursts: the data of each starts at its training-succeeded report. */
function faxdReceivesPair(rate: V17Rate, signal: Int16Array, bits: Uint8Array): BurstResult {
  const rx = new V17Demodulator(rate);
  const received = new Uint8Array(4 * bits.length);
  const starts: number[] = [];
  let count = 0;
  const padded = new Int16Array(signal.length + 1600);
  padded.set(signal);
  for (let at = 0; at < padded.length; at += 160) {
    const output = rx.receive(padded.subarray(at, at + 160));
    for (const event of output.events) if (event.kind === 'training-succeeded') starts.push(count + event.bitIndex);
    received.set(output.bits, count);
    count += output.bits.length;
  }
  const errorsFrom = (start: number | undefined) =>
    start === undefined ? 0 : countBitErrors(bits, received.subarray(start, count), 0).errors;
  return { trained: starts.length, longErrors: errorsFrom(starts[0]), shortErrors: errorsFrom(starts[1]) };
}

describe("V.17 against SpanDSP's V.17", () => {
  before(async () => {
    await buildSpandspModem();
  });

  for (const rate of V17_RATES) {
    it(`faxd → SpanDSP at ${rate} bit/s, a long-trained burst without bit errors at 30 dB SNR, nominal level and ±10 dB, then a short-trained one`, async (t) => {
      const bits = randomBits(12_000, rate);
      const ours = await burstPair('faxd', rate, bits);
      const theirs = await burstPair('spandsp', rate, bits);
      for (const gainDb of [0, 10, -10]) {
        const clean = await spandspReceivesPair(rate, lineSignal(ours, gainDb), bits);
        assert.deepEqual(clean, { trained: 2, longErrors: 0, shortErrors: 0 }, `${gainDb} dB without noise`);
        let oursShort = 0;
        let theirsShort = 0;
        let shortErrors = 0;
        for (let seed = 1; seed <= SEEDS; seed++) {
          const label = `${gainDb} dB, seed ${seed}`;
          const result = await spandspReceivesPair(rate, lineSignal(ours, gainDb, seed), bits);
          assert.ok(result.trained >= 1, `long training failed at ${label}`);
          assert.equal(result.longErrors, 0, `long-trained burst at ${label}`);
          shortErrors += result.shortErrors;
          if (result.trained === 2) oursShort++;
          if ((await spandspReceivesPair(rate, lineSignal(theirs, gainDb, seed), bits)).trained === 2) theirsShort++;
        }
        t.diagnostic(
          `${gainDb} dB: SpanDSP trained short on faxd's burst ${oursShort} times (${shortErrors} bit errors), ` +
            `on its own ${theirsShort}, of ${SEEDS}`,
        );
        assert.ok(2 * oursShort >= SEEDS, `${gainDb} dB: short training took on faxd's burst ${oursShort} of ${SEEDS}`);
        // After a short train SpanDSP keeps the long train's equaliser and trains the carrier only: an error burst on
        // one noise draw is tolerated, a broken short training would fail most draws.
        assert.ok(
          shortErrors <= SHORT_TRAIN_ERROR_BUDGET * oursShort * bits.length,
          `${gainDb} dB: ${shortErrors} bit errors after short trains`,
        );
      }
    });

    it(`SpanDSP → faxd at ${rate} bit/s, a long-trained burst then a short-trained one: both without bit errors at 30 dB SNR, nominal level and ±10 dB`, async () => {
      const bits = randomBits(12_000, rate + 3);
      const theirs = await burstPair('spandsp', rate, bits);
      for (const gainDb of [0, 10, -10]) {
        for (let seed = 1; seed <= SEEDS; seed++) {
          const result = faxdReceivesPair(rate, lineSignal(theirs, gainDb, seed), bits);
          assert.deepEqual(result, { trained: 2, longErrors: 0, shortErrors: 0 }, `${gainDb} dB, seed ${seed}`);
        }
      }
    });

    it(`${rate} bit/s at 20 dB SNR: faxd's receiver makes no more bit errors than SpanDSP's on each of 4 noise draws`, async (t) => {
      const bits = randomBits(30_000, rate + 5);
      const under = {
        modem: 'v17' as const,
        bitRate: rate,
        modulator: () => new V17Modulator(rate),
        demodulator: () => new V17Demodulator(rate),
      };
      for (const from of ['faxd', 'spandsp'] as const) {
        for (let seed = 1; seed <= 4; seed++) {
          const both = await receiveWithBoth(under, await trialSignal(under, from, bits, { snrDb: 20, seed }), bits);
          t.diagnostic(`${from} tx, seed ${seed}: faxd ${both.faxdErrors}, SpanDSP ${both.spandspErrors} errors`);
          assert.ok(
            both.faxdErrors <= both.spandspErrors,
            `${from} tx, seed ${seed}: faxd ${both.faxdErrors} > SpanDSP ${both.spandspErrors}`,
          );
        }
      }
    });

    it(`${rate} bit/s, long then short training with a ±100 ppm sample clock: faxd's receiver makes no more bit errors than SpanDSP's`, async (t) => {
      const bits = randomBits(30_000, rate + 4);
      for (const from of ['faxd', 'spandsp'] as const) {
        const pair = await burstPair(from, rate, bits);
        for (const clockPpm of [100, -100]) {
          const signal = lineSignal(pair, 0, 5, clockPpm);
          const ours = faxdReceivesPair(rate, signal, bits);
          const theirs = await spandspReceivesPair(rate, signal, bits);
          const label = `${from} tx, ${clockPpm} ppm`;
          t.diagnostic(
            `${label}: faxd trained ${ours.trained} times, ${ours.longErrors} + ${ours.shortErrors} errors; ` +
              `SpanDSP ${theirs.trained} times, ${theirs.longErrors} + ${theirs.shortErrors}`,
          );
          assert.equal(ours.trained, 2, label);
          // a burst SpanDSP failed to train on counts as all its bits lost
          const spandspShort = theirs.trained === 2 ? theirs.shortErrors : bits.length;
          assert.ok(ours.longErrors <= theirs.longErrors, `${label}, long-trained burst`);
          assert.ok(ours.shortErrors <= spandspShort, `${label}, short-trained burst`);
        }
      }
    });
  }
});

describePskModemInterop(
  'V.17',
  V17_RATES.map((rate) => ({
    modem: 'v17',
    bitRate: rate,
    modulator: () => new V17Modulator(rate),
    demodulator: () => new V17Demodulator(rate),
  })),
);
