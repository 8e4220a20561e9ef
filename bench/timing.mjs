// Benchmark support: run whole processes, time them, report medians and ratios against a reference tool.
import { execFileSync, spawnSync } from 'node:child_process';

/** Runs `argv` once and returns wall time in seconds; throws with the program's stderr when it fails. */
export function timeProcess(argv, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return seconds;
}

/** Median wall time over `runs` runs, after one warm-up run (file cache, JIT-less start-up alike for both tools). */
export function medianTime(argv, runs = 5, options = {}) {
  timeProcess(argv, options);
  const times = Array.from({ length: runs }, () => timeProcess(argv, options)).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

/** Fails with the Debian package to install when `program` is missing. */
export function requireProgram(program, debianPackage) {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${program} is not installed: apt-get install ${debianPackage}`);
  }
}

/** One result line: ours vs the reference, ratio = reference time / our time (>= 1 means faxd is as fast or faster). */
export function report(label, ours, reference, referenceName) {
  const ratio = reference / ours;
  console.log(
    `${label.padEnd(28)} faxd ${ours.toFixed(3)} s   ${referenceName} ${reference.toFixed(3)} s   ratio ${ratio.toFixed(2)}`,
  );
  return ratio;
}
