// Benchmark: faxd's G.711 coder and CNG/CED detectors against SpanDSP's C on the same signal, in one run. Prints
// samples per second for each and the ratio SpanDSP time ÷ faxd time (above 1: faxd is faster).
import { FaxToneDetector } from '../packages/protocol/dist/audio/fax-tone-detector.js';
import { FaxToneGenerator } from '../packages/protocol/dist/audio/fax-tone-generator.js';
import { decodeG711, encodeG711 } from '../packages/protocol/dist/audio/g711.js';
import { spandspMediaCpuSeconds } from '../packages/protocol/dist/testing/spandsp-g711-tones.js';
import { impairSignal } from '../packages/protocol/dist/testing/test-channel.js';

const FRAME = 160;
const seconds = Number(process.env.BENCH_G711_SECONDS ?? 60);
const rounds = Number(process.env.BENCH_G711_ROUNDS ?? 100);

/** A minute of a calling fax's line: CNG bursts under noise at 30 dB SNR, so every detector works on every block. */
function lineSignal() {
  const samples = new Int16Array(seconds * 8000);
  const generator = new FaxToneGenerator('cng');
  for (let at = 0; at < samples.length; at += FRAME) generator.generate(samples.subarray(at, at + FRAME));
  const noisy = impairSignal(samples, { snrDb: 30, seed: 1 });
  return noisy.subarray(0, noisy.length - (noisy.length % FRAME));
}

function cpuSeconds(work) {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** faxd coding packet by packet into preallocated buffers, as the media path does. */
function faxdG711(samples) {
  const codes = new Uint8Array(samples.length);
  const linear = new Int16Array(samples.length);
  let check = 0;
  for (let r = 0; r < rounds; r++) {
    for (const codec of ['PCMU', 'PCMA']) {
      for (let at = 0; at < samples.length; at += FRAME) {
        encodeG711(codec, samples.subarray(at, at + FRAME), codes.subarray(at, at + FRAME));
        decodeG711(codec, codes.subarray(at, at + FRAME), linear.subarray(at, at + FRAME));
      }
      check += linear[(r * 7919) % samples.length];
    }
  }
  return check;
}

function faxdTone(tone, samples) {
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    const detector = new FaxToneDetector(tone);
    for (let at = 0; at < samples.length; at += FRAME)
      events += detector.receive(samples.subarray(at, at + FRAME)).length;
  }
  return events;
}

const samples = lineSignal();
// One untimed pass each, so V8 has compiled the hot loops before the clock starts (SpanDSP's C needs no warm-up).
faxdG711(samples.subarray(0, 8000 * 5));
faxdTone('cng', samples.subarray(0, 8000 * 5));
faxdTone('ced', samples.subarray(0, 8000 * 5));

const rows = [];
for (const [name, work] of [
  ['G.711 µ-law + A-law, encode + decode', 'g711'],
  ['CNG detector', 'cng'],
  ['CED detector', 'ced'],
]) {
  const faxd = cpuSeconds(() => (work === 'g711' ? faxdG711(samples) : faxdTone(work, samples)));
  const spandsp = await spandspMediaCpuSeconds(work, samples, rounds);
  const total = samples.length * rounds;
  rows.push({
    name,
    faxdSamplesPerSecond: Math.round(total / faxd),
    spandspSamplesPerSecond: Math.round(total / spandsp),
    ratio: spandsp / faxd,
  });
}

console.log(`${seconds} s of 8 kHz line signal, ${rounds} rounds; ratio = SpanDSP time ÷ faxd time`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(40)} faxd ${(row.faxdSamplesPerSecond / 1e6).toFixed(1).padStart(7)} M samples/s` +
      `   SpanDSP ${(row.spandspSamplesPerSecond / 1e6).toFixed(1).padStart(7)} M samples/s   ratio ${row.ratio.toFixed(2)}`,
  );
}
console.log(JSON.stringify({ bench: 'g711-tones', seconds, rounds, rows }));
