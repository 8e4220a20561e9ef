// Benchmark support: run whole processes, time them in interleaved pairs against a reference tool, report ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';

/** Runs `argv` once and returns wall time in seconds; throws with the program's stderr when it fails. */
export function timeProcess(argv, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return seconds;
}

/** Fails with the Debian package to install when `program` is missing. */
export function requireProgram(program, debianPackage) {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${program} is not installed: apt-get install ${debianPackage}`);
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Times faxd and the reference in turns (A, B, A, B …) after one warm-up run of each, so a change in the machine's
 * speed during the run touches both alike. Each pair gives a ratio, reference time ÷ faxd time (≥ 1: faxd as fast or
 * faster); the median ratio is the figure, the lowest and highest show the spread. `runs` is at least 5.
 * `ours` and `reference` are argv arrays or functions returning seconds (for work done inside this process).
 */
export function pairedRuns(ours, reference, runs = Number(process.env.BENCH_RUNS ?? 5)) {
  const time = (subject) => (typeof subject === 'function' ? subject() : timeProcess(subject));
  const count = Math.max(5, runs);
  time(ours);
  time(reference);
  const pairs = [];
  for (let run = 0; run < count; run++) pairs.push({ ours: time(ours), reference: time(reference) });
  return summarisePairs(pairs);
}

/** Median, lowest and highest of each side and of the pairwise ratios, from `[{ours, reference}]` in seconds. */
export function summarisePairs(pairs) {
  const ratios = pairs.map((pair) => pair.reference / pair.ours);
  const side = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
  return {
    runs: pairs.length,
    ours: side(pairs.map((pair) => pair.ours)),
    reference: side(pairs.map((pair) => pair.reference)),
    ratio: side(ratios),
  };
}

/** The machine's load averages (1, 5 and 15 minutes) and cores, printed beside every figure. */
export function machineLoad() {
  const [one, five, fifteen] = loadavg();
  const cores = availableParallelism();
  // faxd's processes run on the Node.js that runs the benchmark (process.execPath), whose version matters: V8's
  // tiers warm up faster on newer ones, which shows most on the shorter runs. Node.js 20 also reads the certificates
  // NODE_EXTRA_CA_CERTS names at every start, before any of faxd's code runs (0.08-0.1 s for Debian's bundle,
  // measured with `node -e 0`); later versions read them when a TLS connection first needs them.
  const certificates = process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : '';
  return `load ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} on ${cores} cores, Node.js ${process.version}${certificates}`;
}

/** One result line from `pairedRuns`: medians with min–max for both sides, the ratio, and the load at this moment. */
export function reportPair(label, summary, referenceName) {
  const range = ({ median: m, min, max }, digits) =>
    `${m.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
  console.log(
    `${label.padEnd(28)} faxd ${range(summary.ours, 3)} s   ${referenceName} ${range(summary.reference, 3)} s   ` +
      `ratio ${range(summary.ratio, 2)}   ${summary.runs} pairs, ${machineLoad()}`,
  );
  return summary.ratio.median;
}
