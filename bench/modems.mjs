// Benchmark: faxd's software modems against SpanDSP's same modem in C, on the same signal in one run (issue 12 §7a):
// each receiver and transmitter in samples per second, and the ratio SpanDSP time ÷ faxd time (≥ 1: faxd as fast).
// Both sides are timed on the modem loop alone, in the same 20 ms chunks: SpanDSP's modem-peer reports the CPU time of
// its loop; faxd's loop is timed here on the monotonic clock (CPU accounting through getrusage is too coarse for a loop
// this short; wall time can only count against faxd), after a warm-up run so V8 has compiled the loop as gcc has.
// Run: npx tsc -b && node bench/modems.mjs   (BENCH_MODEM_SECONDS of signal, default 300; BENCH_RUNS, default 5;
// BENCH_MODEMS=v21,… to pick rows)
import { concatBytes } from '../packages/protocol/dist/bits/concat-bytes.js';
import { V17Demodulator } from '../packages/protocol/dist/modem/v17/v17-demodulator.js';
import { V17Modulator } from '../packages/protocol/dist/modem/v17/v17-modulator.js';
import { V21Demodulator } from '../packages/protocol/dist/modem/v21/v21-demodulator.js';
import { V21Modulator } from '../packages/protocol/dist/modem/v21/v21-modulator.js';
import { V27terDemodulator } from '../packages/protocol/dist/modem/v27ter/v27ter-demodulator.js';
import { V27terModulator } from '../packages/protocol/dist/modem/v27ter/v27ter-modulator.js';
import { V29Demodulator } from '../packages/protocol/dist/modem/v29/v29-demodulator.js';
import { V29Modulator } from '../packages/protocol/dist/modem/v29/v29-modulator.js';
import { countBitErrors, randomBits } from '../packages/protocol/dist/testing/bit-errors.js';
import {
  buildSpandspModem,
  spandspReceiveBits,
  spandspTransmitBits,
} from '../packages/protocol/dist/testing/spandsp-modem.js';
import { impairSignal } from '../packages/protocol/dist/testing/test-channel.js';

const seconds = Number(process.env.BENCH_MODEM_SECONDS ?? 300);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const only = process.env.BENCH_MODEMS?.split(',');
const CHUNK = 160;

/**
 * One row per modem and bit rate. `modulator()` returns an object with `send(bits)` and `modulate(out) → count`;
 * `demodulator()` one with `receive(samples)`. Modems added later extend this table.
 */
const MODEMS = [
  {
    name: 'V.21 ch 2',
    spandsp: { modem: 'v21', bitRate: 300 },
    bitRate: 300,
    modulator: () => new V21Modulator(),
    demodulator: () => new V21Demodulator(),
  },
  ...[4800, 2400].map((bitRate) => pskRow('V.27ter', 'v27ter', bitRate, V27terModulator, V27terDemodulator)),
  ...[9600, 7200, 4800].map((bitRate) => pskRow('V.29', 'v29', bitRate, V29Modulator, V29Demodulator)),
  ...[14400, 12000, 9600, 7200].map((bitRate) => pskRow('V.17', 'v17', bitRate, V17Modulator, V17Demodulator)),
];

/** A PSK/QAM modem's row: its modulator sends its shutdown once the bits queued by `send` are out. */
function pskRow(name, modem, bitRate, Modulator, Demodulator) {
  return {
    name: `${name} ${bitRate}`,
    spandsp: { modem, bitRate },
    bitRate,
    modulator: () => {
      const modulator = new Modulator(bitRate);
      return {
        send: (bits) => {
          modulator.send(bits);
          modulator.end();
        },
        modulate: (out) => modulator.modulate(out),
      };
    },
    demodulator: () => new Demodulator(bitRate),
  };
}

function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeReceiver(row, samples) {
  const start = process.hrtime.bigint();
  const demodulator = row.demodulator();
  let bits = 0;
  for (let at = 0; at < samples.length; at += CHUNK)
    bits += demodulator.receive(samples.subarray(at, at + CHUNK)).bits.length;
  return { seconds: secondsSince(start), bits };
}

function timeTransmitter(row, bits) {
  const out = new Int16Array(CHUNK);
  const start = process.hrtime.bigint();
  const modulator = row.modulator();
  modulator.send(bits);
  let samples = 0;
  for (;;) {
    const written = modulator.modulate(out);
    samples += written;
    if (written < CHUNK) break;
  }
  return { seconds: secondsSince(start), samples };
}

function line(label, samples, ours, theirs) {
  const rate = (time) =>
    `${(samples / time / 1e6).toFixed(2)} M samples/s (${Math.round(samples / 8000 / time)}× real time)`;
  console.log(
    `${label.padEnd(22)} faxd ${rate(ours).padEnd(36)} SpanDSP ${rate(theirs).padEnd(36)} ratio ${(theirs / ours).toFixed(2)}`,
  );
}

await buildSpandspModem();
console.log(`${seconds} s of signal per modem at 30 dB SNR, median of ${runs} runs`);
for (const row of MODEMS) {
  if (only && !only.some((name) => row.spandsp.modem === name)) continue;
  const bits = randomBits(Math.round(seconds * row.bitRate), 1);
  const sent = await spandspTransmitBits({ ...row.spandsp, bits });
  // Noise from the burst's first sample on: noise ahead of a fast modem's burst at 30 dB SNR is near its carrier
  // threshold, and SpanDSP's receiver, once trained on noise, ignores the burst.
  const start = sent.samples.findIndex((sample) => sample !== 0);
  const samples = impairSignal(sent.samples.subarray(Math.max(0, start)), { snrDb: 30, seed: 1 });

  // faxd and SpanDSP take turns, so a change in the machine's load touches both alike.
  timeReceiver(row, samples);
  const ours = [];
  const theirs = [];
  let check;
  for (let i = 0; i < runs; i++) {
    ours.push(timeReceiver(row, samples).seconds);
    const received = await spandspReceiveBits({ ...row.spandsp, samples });
    theirs.push(received.cpuSeconds);
    check ??= received.bits;
  }
  // The check runs apart from the timing, with silence after the signal so the last bit is decided.
  const demodulator = row.demodulator();
  const decoded = [];
  for (let at = 0; at < samples.length; at += CHUNK)
    decoded.push(demodulator.receive(samples.subarray(at, at + CHUNK)).bits);
  decoded.push(demodulator.receive(new Int16Array(1600)).bits);
  const errors = countBitErrors(bits, concatBytes(decoded)).errors;
  const reference = countBitErrors(bits, check).errors;
  line(`${row.name} RX`, samples.length, median(ours), median(theirs));
  console.log(`${''.padEnd(22)} bit errors: faxd ${errors}, SpanDSP ${reference} of ${bits.length}`);

  timeTransmitter(row, bits);
  const oursTx = [];
  const theirsTx = [];
  let txSamples = 0;
  for (let i = 0; i < runs; i++) {
    const result = timeTransmitter(row, bits);
    oursTx.push(result.seconds);
    txSamples = result.samples;
    theirsTx.push((await spandspTransmitBits({ ...row.spandsp, bits })).cpuSeconds);
  }
  line(`${row.name} TX`, txSamples, median(oursTx), median(theirsTx));
}
