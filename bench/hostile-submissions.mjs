// Hostile submissions benchmark (issue 17): what documents that ask for too much, and a burst of small ones, cost a
// real faxd process (started here, its queue paused), read from /proc: CPU time and RSS growth for each hostile
// document; for a burst of 500 one-page texts, the answers, whether every accepted job is stored, the peak RSS and
// the RSS a minute later. Targets: each hostile document refused or bounded in under 1 s of CPU and under 100 MB of
// RSS growth; the burst's peak RSS under 500 MB and, a minute later, within 150 MB of idle.
// Run: node bench/hostile-submissions.mjs   (BENCH_BURST, BENCH_SETTLE_SECONDS change the burst and the wait)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formFeeds, simplePdf, tiffDeclaring } from '@faxd/protocol/testing/hostile-documents';
import sharp from 'sharp';

const BURST = Number(process.env.BENCH_BURST ?? 500);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);
const FAXD = fileURLToPath(new URL('../packages/cli/bin/faxd.js', import.meta.url));
const MB = 1024 * 1024;
const TICKS_PER_SECOND = 100;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The process's CPU seconds (user + system) and its RSS and peak RSS in bytes. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { cpu, rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Starts the peak RSS again from the current RSS (Linux: 5 to clear_refs), where the kernel allows it. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function post(url, body) {
  const response = await fetch(`${url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

function submission(name, bytes) {
  return { to: '5550100', documents: [{ name, contentBase64: Buffer.from(bytes).toString('base64') }] };
}

async function startFaxd(dir) {
  const port = await freePort();
  const config = join(dir, 'faxd.json');
  await writeFile(config, JSON.stringify({ listen: `127.0.0.1:${port}`, dataDir: join(dir, 'var') }));
  const child = spawn(process.execPath, [FAXD, '--config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/v1/queue`)).ok) break;
    } catch {
      if (tries > 200) throw new Error('faxd did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const paused = await fetch(`${url}/v1/queue`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outgoingQueuePaused: true }),
  });
  if (!paused.ok) throw new Error('cannot pause the queue');
  return { child, url };
}

const verdict = (ok) => (ok ? 'met' : 'NOT met');

async function hostileDocuments(pid, url) {
  const png = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const cases = [
    ['TIFF declaring 8 pages of 16000 x 16000', tiffDeclaring(8, 16000, 16000)],
    ['TIFF page 1 x 2^28', tiffDeclaring(1, 1, 2 ** 28)],
    ['2 KB of form feeds', formFeeds(2048)],
    ['PDF of 10,000 pages', simplePdf(10_000)],
    ['100-megapixel PNG', png],
  ];
  for (const [label, bytes] of cases) {
    const before = usage(pid);
    const peakReset = resetPeak(pid);
    const answer = await post(url, submission('hostile', bytes));
    const after = usage(pid);
    const cpu = after.cpu - before.cpu;
    const growth = (peakReset ? after.peak : after.rss) - before.rss;
    console.log(
      `${label.padEnd(40)} ${answer.status} ${answer.body.error?.code ?? 'accepted'}   CPU ${cpu.toFixed(2)} s   ` +
        `RSS growth ${(growth / MB).toFixed(1)} MB${peakReset ? ' (peak)' : ''}   ` +
        `target < 1 s, < 100 MB: ${verdict(cpu < 1 && growth < 100 * MB)}`,
    );
  }
}

async function burst(pid, url) {
  // One conversion first, so the conversion thread and its fonts are loaded: idle is a warm server's idle.
  await post(url, submission('warm-up.txt', new TextEncoder().encode('Warm-up.\n')));
  const idle = usage(pid).rss;
  const peakReset = resetPeak(pid);
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      post(url, submission(`note-${i}.txt`, new TextEncoder().encode(`Note ${i}.\n`))),
    ),
  );
  const peak = usage(pid).peak;
  const accepted = answers.filter((answer) => answer.status === 201);
  const busy = answers.filter((answer) => answer.status === 503 && Number(answer.retryAfter) >= 1);
  const stored = new Set((await (await fetch(`${url}/v1/jobs?all=true`)).json()).map((job) => job.jobId));
  const lost = accepted.filter((answer) => !stored.has(answer.body.jobId)).length;
  const other = answers.length - accepted.length - busy.length;
  console.log(
    `burst of ${BURST} one-page texts: ${accepted.length} accepted, ${busy.length} 503 with Retry-After, ` +
      `${other} other answers, ${lost} accepted jobs missing from the store: ${verdict(other === 0 && lost === 0)}`,
  );
  console.log(
    `RSS idle ${(idle / MB).toFixed(0)} MB   peak ${(peak / MB).toFixed(0)} MB${peakReset ? '' : ' (process lifetime)'}   ` +
      `target < 500 MB: ${verdict(peak < 500 * MB)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
  const later = usage(pid).rss;
  console.log(
    `RSS ${SETTLE_SECONDS} s later ${(later / MB).toFixed(0)} MB (${((later - idle) / MB).toFixed(0)} MB over idle)   ` +
      `target within 150 MB of idle: ${verdict(later - idle < 150 * MB)}`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'faxd-bench-hostile-'));
const { child, url } = await startFaxd(dir);
try {
  await hostileDocuments(child.pid, url);
  await burst(child.pid, url);
} finally {
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dir, { recursive: true, force: true });
}
