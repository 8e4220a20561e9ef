// Benchmark: faxd's audio fax terminal (its own modems, G.711) against SpanDSP's audio fax terminal (issue 12 item 7).
// (l) Line time of a 3-page fine fax (ITU charts 1-3, V.17 14400, ECM, MMR), faxd's audio station sending to SpanDSP
// against SpanDSP sending to SpanDSP, both in lock step on the sample clock (interop/spandsp/audio-fax-peer.c): what a
// real call would take, whatever this machine's speed, with the CPU faxd's station took beside it.
// (a) Session wall time of the same fax over G.711 µ-law in 20 ms RTP packets on UDP in real time, faxd sending to
// SpanDSP's RTP terminal against SpanDSP sending to it. (b) Capacity: how many simultaneous audio loopback calls
// (faxd calling faxd, both ends in this one process) keep the driver's timers within 20 ms of the packets' deadlines
// at the 99th percentile, with the CPU each session-second took (what predicts capacity on a free core when other
// load on the machine makes the lateness noisy). Ratios are SpanDSP's time ÷ faxd's (1.0 or more: faxd is as quick).
// `node bench/audio.mjs line`, `... session` or `... capacity` runs one part; no argument runs all three.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioFaxStation, audioImageModems, writeTiffClassF } from '@faxd/protocol';
import { chartSessions } from '@faxd/protocol/testing/chart-call';
import { buildAudioFaxPeer, callSpandsp } from '@faxd/protocol/testing/spandsp-audio-fax';
import { runSpandspRtpFaxPeer } from '../packages/server/dist/testing/spandsp-rtp-fax-peer.js';
import { chartStrip, runFaxSessionBench } from './fax-session-bench.mjs';

const lineOptions = ['--compression', 'mmr', '--modems', 'v17'];

/** SpanDSP sending to SpanDSP in lock step: each peer's output the other's input, primed with one frame of silence. */
async function spandspToSpandsp(work, binary, tiff) {
  const results = [join(work, 'tx.json'), join(work, 'rx.json')];
  const sender = spawn(binary, ['send', '--file', tiff, '--calling', '--result', results[0], ...lineOptions]);
  const received = join(work, 'rx.tif');
  const receiver = spawn(binary, [
    'receive',
    '--file',
    received,
    '--answering',
    '--result',
    results[1],
    ...lineOptions,
  ]);
  sender.stdout.pipe(receiver.stdin);
  receiver.stdout.pipe(sender.stdin);
  sender.stdin.on('error', () => {});
  receiver.stdin.on('error', () => {});
  receiver.stdin.write(Buffer.alloc(320));
  await Promise.all([sender, receiver].map((child) => new Promise((resolve) => child.on('close', resolve))));
  // The session is the receiver's: the sender may still be winding down when the receiver leaves.
  const rx = JSON.parse(readFileSync(results[1], 'utf8'));
  if (!rx.ok || rx.pagesRx !== 3) throw new Error(`SpanDSP→SpanDSP failed: ${JSON.stringify(rx)}`);
  return rx.lineSeconds;
}

async function faxdToSpandsp(work, pages) {
  const { sending } = chartSessions(pages, { ...audioImageModems(['v17']), ecm: true }, {});
  const station = new AudioFaxStation(sending, { role: 'calling' });
  const start = process.cpuUsage();
  const file = join(work, 'faxd-rx.tif');
  const rx = await callSpandsp(station, { mode: 'receive', file, calling: false, ecm: true, compression: 'mmr' });
  const cpu = process.cpuUsage(start);
  if (!rx.ok || rx.pagesRx !== 3 || station.outcome?.code !== 'ok') {
    throw new Error(`faxd→SpanDSP failed: ${rx.completionText} ${JSON.stringify(station.outcome)}`);
  }
  return { seconds: rx.lineSeconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function lineTime() {
  const work = mkdtempSync(join(tmpdir(), 'faxd-bench-audio-line-'));
  try {
    const binary = await buildAudioFaxPeer();
    const pages = [1, 2, 3].map((n) => chartStrip(n, Number.POSITIVE_INFINITY));
    const tiff = join(work, 'three-fine.tif');
    writeFileSync(tiff, writeTiffClassF(pages, { compression: 'mmr' }));
    const faxd = await faxdToSpandsp(work, pages);
    const spandsp = await spandspToSpandsp(work, binary, tiff);
    console.log('(l) 3-page fine fax (ITU charts 1-3, V.17 14400, ECM, MMR) in lock step, line time');
    console.log(
      `    faxd -> SpanDSP     ${faxd.seconds.toFixed(2)} s (faxd's CPU in this process: ${faxd.cpuMs.toFixed(0)} ms)`,
    );
    console.log(`    SpanDSP -> SpanDSP  ${spandsp.toFixed(2)} s`);
    console.log(
      `    ratio SpanDSP / faxd ${(spandsp / faxd.seconds).toFixed(3)} (1.0 or more: faxd as quick or quicker)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const parts = process.argv.slice(2);
if (parts.length === 0 || parts.includes('line')) await lineTime();
if (parts.length === 0 || parts.includes('session') || parts.includes('capacity')) {
  await runFaxSessionBench({
    name: 'audio',
    call: { media: 'pcmu', ecm: true, compression: 'mmr', redundancy: 0, timeoutSeconds: 600 },
    runPeer: runSpandspRtpFaxPeer,
    basePort: Number(process.env.BENCH_AUDIO_PORT ?? 26000),
    steps: (process.env.BENCH_AUDIO_STEPS ?? '10,25,50,100,150,200,250,300').split(',').map(Number),
    staggerMs: Number(process.env.BENCH_AUDIO_STAGGER_MS ?? 2000),
    describe: 'PCMU, ECM, MMR',
  });
}
