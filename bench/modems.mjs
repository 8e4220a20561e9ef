// Benchmark: faxd's software modems against SpanDSP's same modem in C, on the same signal in one run (issue 12 §7a):
// each receiver and transmitter in samples per second, and the ratio SpanDSP time ÷ faxd time (≥ 1: faxd as fast).
// Both sides are timed the same way: the CPU time of the thread running the modem loop alone (set-up and output
// outside it), in the same 20 ms chunks. SpanDSP's modem-peer reports its loop's process CPU time (one thread);
// faxd's loop is timed here on this thread's CPU clock (the kernel's nanosecond count in /proc/thread-self/schedstat,
// else process.cpuUsage), after warm-up runs so V8 has compiled the loop as gcc has. CPU time, not wall time, so other
// load on the machine slows neither side's figure; faxd and SpanDSP take turns, and the ratio printed is the median of
// the runs' pairwise ratios (a drift in the machine's speed touches each pair alike), with the lowest and highest.
// Run: npx tsc -b && node bench/modems.mjs   (BENCH_MODEM_SECONDS of signal, default 300; BENCH_RUNS, default 7;
// BENCH_MODEMS=v21,… to pick modems, BENCH_RATES=14400,… rates, BENCH_DIRECTIONS=rx or tx)
import { readFileSync } from 'node:fs';
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
const runs = Number(process.env.BENCH_RUNS ?? 7);
const only = process.env.BENCH_MODEMS?.split(',');
const onlyRates = process.env.BENCH_RATES?.split(',').map(Number);
const directions = (process.env.BENCH_DIRECTIONS ?? 'rx,tx').split(',');
/** Untimed runs of faxd's loop before the timed ones, so V8's optimising compiler has seen it. */
const WARM_UP_RUNS = 2;
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

/** CPU seconds this thread has run: the kernel's own count in nanoseconds where it is readable (Linux). */
const threadCpuSeconds = (() => {
  try {
    readFileSync('/proc/thread-self/schedstat', 'latin1');
    return () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]) / 1e9;
  } catch {
    return () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    };
  }
})();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeReceiver(row, samples) {
  const demodulator = row.demodulator();
  let bits = 0;
  const start = threadCpuSeconds();
  for (let at = 0; at < samples.length; at += CHUNK)
    bits += demodulator.receive(samples.subarray(at, at + CHUNK)).bits.length;
  return { seconds: threadCpuSeconds() - start, bits };
}

function timeTransmitter(row, bits) {
  const out = new Int16Array(CHUNK);
  const modulator = row.modulator();
  modulator.send(bits);
  let samples = 0;
  const start = threadCpuSeconds();
  for (;;) {
    const written = modulator.modulate(out);
    samples += written;
    if (written < CHUNK) break;
  }
  return { seconds: threadCpuSeconds() - start, samples };
}

/**
 * Times faxd's loop (`ours`, returning { seconds }) and SpanDSP's (`theirs`, a promise of { cpuSeconds }) in turn, `runs`
 * times after faxd's warm-up; prints the row and returns SpanDSP's first result.
 */
async function compare(label, samples, ours, theirs) {
  for (let i = 0; i < WARM_UP_RUNS; i++) ours();
  const oursSeconds = [];
  const theirsSeconds = [];
  const ratios = [];
  let first;
  for (let i = 0; i < runs; i++) {
    const a = ours().seconds;
    const result = await theirs();
    first ??= result;
    const b = result.cpuSeconds;
    oursSeconds.push(a);
    theirsSeconds.push(b);
    ratios.push(b / a);
  }
  const rate = (time) =>
    `${(samples / time / 1e6).toFixed(2)} M samples/s (${Math.round(samples / 8000 / time)}× real time)`;
  const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  console.log(
    `${label.padEnd(22)} faxd ${rate(median(oursSeconds)).padEnd(36)} SpanDSP ${rate(median(theirsSeconds)).padEnd(36)} ` +
      `ratio ${median(ratios).toFixed(2)} (${spread})`,
  );
  return first;
}

await buildSpandspModem();
console.log(`${seconds} s of signal per modem at 30 dB SNR, CPU time of each loop, median of ${runs} runs`);
for (const row of MODEMS) {
  if (only && !only.includes(row.spandsp.modem)) continue;
  if (onlyRates && !onlyRates.includes(row.bitRate)) continue;
  const bits = randomBits(Math.round(seconds * row.bitRate), 1);
  const sent = await spandspTransmitBits({ ...row.spandsp, bits });
  // Noise from the burst's first sample on: noise ahead of a fast modem's burst at 30 dB SNR is near its carrier
  // threshold, and SpanDSP's receiver, once trained on noise, ignores the burst.
  const start = sent.samples.findIndex((sample) => sample !== 0);
  const samples = impairSignal(sent.samples.subarray(Math.max(0, start)), { snrDb: 30, seed: 1 });

  if (directions.includes('rx')) {
    const { bits: check } = await compare(
      `${row.name} RX`,
      samples.length,
      () => timeReceiver(row, samples),
      () => spandspReceiveBits({ ...row.spandsp, samples }),
    );
    // The check runs apart from the timing, with silence after the signal so the last bit is decided.
    const demodulator = row.demodulator();
    const decoded = [];
    for (let at = 0; at < samples.length; at += CHUNK)
      decoded.push(demodulator.receive(samples.subarray(at, at + CHUNK)).bits);
    decoded.push(demodulator.receive(new Int16Array(1600)).bits);
    const errors = countBitErrors(bits, concatBytes(decoded)).errors;
    const reference = countBitErrors(bits, check).errors;
    console.log(`${''.padEnd(22)} bit errors: faxd ${errors}, SpanDSP ${reference} of ${bits.length}`);
  }
  if (directions.includes('tx')) {
    const txSamples = timeTransmitter(row, bits).samples;
    await compare(
      `${row.name} TX`,
      txSamples,
      () => timeTransmitter(row, bits),
      () => spandspTransmitBits({ ...row.spandsp, bits }),
    );
  }
}
