// Benchmark: documents submitted through the API per second, against a real faxd (SQLite store, HTTP on loopback)
// started here with its queue paused, so every second goes to taking the submission: the HTTP request, the
// conversion of the document to a fine G4 TIFF on the conversion thread, and storing the files and the job's row.
// The SDK clients submitting run on a thread of their own.
// One function per section, each with a faxd of its own; bench/convert.mjs calls them. Target: a one-page plain-text
// submission at 200 per second or more on this machine.
// Run alone: node bench/convert-submissions.mjs   (BENCH_SUBMISSIONS per round, BENCH_RUNS rounds)
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { machineLoad, median } from './timing.mjs';

const root = new URL('..', import.meta.url).pathname;
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 200);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
/** Clients submitting at once, as several users or a mail gateway would. */
const CLIENTS = 4;

/** A short note, the common case, and a page filled with text (60 lines of 90 characters), the costly one. */
const NOTE = new TextEncoder().encode('A note.\n');
const FULL_PAGE = new TextEncoder().encode(
  `${Array.from({ length: 60 }, (_, i) => `${String(i + 1).padStart(2)} ${'The quick brown fox jumps over the lazy dog. '.repeat(2)}`).join('\n')}\n`,
);

/**
 * The clients, on a thread of their own: `count` submissions of `document` from CLIENTS clients at once, answered
 * with the submissions per second. Off the server's thread, as clients on other machines would be, so that the
 * server's thread does only the server's work.
 */
async function serveAsClients(url) {
  const { FaxServer } = await import('@faxd/client');
  const server = await FaxServer.connect(url);
  parentPort.on('message', async ({ document, count }) => {
    const start = process.hrtime.bigint();
    let next = 0;
    const client = async () => {
      while (next++ < count) await server.submit({ to: '5550100', documents: [document] });
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    parentPort.postMessage(count / (Number(process.hrtime.bigint() - start) / 1e9));
  });
  parentPort.postMessage('ready');
}

/** The clients' thread; `rate` asks it for one round. */
function startClients(url) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'submission-clients', url } });
  const reply = () =>
    new Promise((resolve, reject) => {
      const fail = (error) => reject(error);
      worker.once('error', fail);
      worker.once('message', (message) => {
        worker.off('error', fail);
        resolve(message);
      });
    });
  const ready = reply();
  return {
    ready,
    rate(document, count) {
      const answer = reply();
      worker.postMessage({ document, count });
      return answer;
    },
    close: () => worker.terminate(),
  };
}

/**
 * Each document's rate (with its target, if any) over RUNS rounds of SUBMISSIONS submissions, after a warm-up round,
 * the documents taken in turns so a change in the machine's load touches each alike; prints the median with min–max
 * and the load, and the CPU a submission took.
 */
async function submissionRates(title, documents) {
  const dataDir = await mkdtemp(join(tmpdir(), 'faxd-bench-submissions-'));
  // Imported here, not at the top: the clients' thread loads this file too and needs only the SDK.
  const { startFaxd } = await import('@faxd/server');
  const faxd = await startFaxd({ listen: '127.0.0.1:0', dataDir });
  try {
    await faxd.service.setQueueState({ outgoingQueuePaused: true });
    const clients = startClients(faxd.url);
    const rates = documents.map(() => []);
    const cpu = documents.map(() => []);
    try {
      await clients.ready;
      for (const { document } of documents) await clients.rate(document, Math.min(50, SUBMISSIONS));
      for (let run = 0; run < RUNS; run++) {
        for (const [i, { document }] of documents.entries()) {
          const before = process.cpuUsage();
          rates[i].push(await clients.rate(document, SUBMISSIONS));
          const used = process.cpuUsage(before);
          cpu[i].push((used.user + used.system) / 1000 / SUBMISSIONS);
        }
      }
    } finally {
      await clients.close();
    }
    console.log(title);
    for (const [i, { label, target }] of documents.entries()) {
      const m = median(rates[i]);
      const verdict = target === undefined ? '' : `   target >= ${target}/s: ${m >= target ? 'met' : 'NOT met'}`;
      console.log(
        `${label.padEnd(28)} ${m.toFixed(1)} /s (${Math.min(...rates[i]).toFixed(1)}–${Math.max(...rates[i]).toFixed(1)})   ` +
          `${RUNS} rounds of ${SUBMISSIONS}, ${CLIENTS} clients, ${machineLoad()}${verdict}`,
      );
      // What the rate is when the machine is shared: the CPU each submission took, every thread of the process
      // (the clients' too) counted, and the rate that CPU allows on the machine's cores with nothing else running.
      const cpuMs = median(cpu[i]);
      console.log(
        `${''.padEnd(28)} CPU ${cpuMs.toFixed(2)} ms a submission (${Math.min(...cpu[i]).toFixed(2)}–` +
          `${Math.max(...cpu[i]).toFixed(2)}), all threads, clients included: at most ` +
          `${((availableParallelism() * 1000) / cpuMs).toFixed(0)} /s on ${availableParallelism()} idle cores`,
      );
    }
  } finally {
    await faxd.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Plain-text submissions per second: a one-page note (the target) and a full page of text. */
export function textSubmissions() {
  return submissionRates('Plain-text submissions through the API (fine G4)', [
    { label: '1-page note', document: { name: 'note.txt', content: NOTE }, target: 200 },
    { label: '1 full page of text', document: { name: 'page.txt', content: FULL_PAGE } },
  ]);
}

/** PDF submissions per second: the two-page sample letter. */
export function pdfSubmissions() {
  const letter = readFileSync(join(root, 'samples', 'letter.pdf'));
  return submissionRates('PDF submissions through the API (fine G4)', [
    { label: '2-page letter.pdf', document: { name: 'letter.pdf', content: letter } },
  ]);
}

if (!isMainThread && workerData?.role === 'submission-clients') {
  await serveAsClients(workerData.url);
} else if (process.argv[1] === new URL(import.meta.url).pathname) {
  await textSubmissions();
  await pdfSubmissions();
}
