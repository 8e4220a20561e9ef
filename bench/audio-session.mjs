// Benchmark: session time of a 3-page fine fax over audio (ITU charts 1-3, V.17 14400, ECM, MMR), faxd's audio front
// end sending to SpanDSP's audio fax terminal against SpanDSP sending to SpanDSP, in the same run. Both run in lock
// step on the sample clock, so the time is line time (what a real call would take), not this machine's speed; the
// CPU each took is printed beside it. Ratio = SpanDSP's session time ÷ faxd's (1.0 or more: faxd is as quick).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioFaxStation, audioImageModems, pageFromRows, writeTiffClassF } from '@faxd/protocol';
import { chartSessions } from '@faxd/protocol/testing/chart-call';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';
import { buildAudioFaxPeer, callSpandsp } from '@faxd/protocol/testing/spandsp-audio-fax';

const work = mkdtempSync(join(tmpdir(), 'faxd-bench-audio-'));
const common = ['--compression', 'mmr', '--modems', 'v17'];

function chart(n) {
  const page = readPbm(ituChartPath(n));
  return pageFromRows(page, page.data);
}

/** SpanDSP sending to SpanDSP: two peers, each one's output the other's input, primed with one frame of silence. */
async function spandspToSpandsp(binary, tiff) {
  const results = [join(work, 'tx.json'), join(work, 'rx.json')];
  const sender = spawn(binary, ['send', '--file', tiff, '--calling', '--result', results[0], ...common]);
  const receiver = spawn(binary, [
    'receive',
    '--file',
    join(work, 'rx.tif'),
    '--answering',
    '--result',
    results[1],
    ...common,
  ]);
  sender.stdout.pipe(receiver.stdin);
  receiver.stdout.pipe(sender.stdin);
  sender.stdin.on('error', () => {});
  receiver.stdin.on('error', () => {});
  receiver.stdin.write(Buffer.alloc(320));
  const start = process.cpuUsage();
  await Promise.all([sender, receiver].map((child) => new Promise((resolve) => child.on('close', resolve))));
  // The session is the receiver's: the sender may still be winding down when the receiver leaves.
  const rx = JSON.parse(readFileSync(results[1], 'utf8'));
  if (!rx.ok || rx.pagesRx !== 3) throw new Error(`SpanDSP→SpanDSP failed: ${JSON.stringify(rx)}`);
  return { seconds: rx.lineSeconds, cpu: process.cpuUsage(start) };
}

async function faxdToSpandsp(pages) {
  const { sending } = chartSessions(pages, { ...audioImageModems(['v17']), ecm: true }, {});
  const station = new AudioFaxStation(sending, { role: 'calling' });
  const start = process.cpuUsage();
  const file = join(work, 'faxd-rx.tif');
  const rx = await callSpandsp(station, { mode: 'receive', file, calling: false, ecm: true, compression: 'mmr' });
  const cpu = process.cpuUsage(start);
  if (!rx.ok || rx.pagesRx !== 3 || station.outcome?.code !== 'ok') {
    throw new Error(`faxd→SpanDSP failed: ${rx.completionText} ${JSON.stringify(station.outcome)}`);
  }
  return { seconds: rx.lineSeconds, cpu };
}

try {
  const binary = await buildAudioFaxPeer();
  const pages = [1, 2, 3].map(chart);
  const tiff = join(work, 'three-fine.tif');
  writeFileSync(tiff, writeTiffClassF(pages, { compression: 'mmr' }));
  const faxd = await faxdToSpandsp(pages);
  const spandsp = await spandspToSpandsp(binary, tiff);
  const ms = (cpu) => ((cpu.user + cpu.system) / 1000).toFixed(0);
  console.log('audio session, 3 pages fine, V.17 14400, ECM, MMR (line time, lock step)');
  console.log(`  faxd → SpanDSP     ${faxd.seconds.toFixed(2)} s   (faxd's CPU in this process: ${ms(faxd.cpu)} ms)`);
  console.log(`  SpanDSP → SpanDSP  ${spandsp.seconds.toFixed(2)} s`);
  console.log(`  ratio SpanDSP ÷ faxd: ${(spandsp.seconds / faxd.seconds).toFixed(3)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
