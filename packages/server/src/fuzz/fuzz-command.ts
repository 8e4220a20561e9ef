// `npm run fuzz [-- --inputs N --only tiff,sip --seed S --out DIR]`: fuzzes every decoder that takes bytes from
// outside, one after another in one worker thread, and prints a table of inputs run, crashes, hangs (> 1 s) and memory
// blow-ups per decoder. Inputs that crash, hang or blow up are written under testdata/fuzz-findings, where the short
// fuzz test in `npm test` replays every one as a regression test. Exits 1 when anything was found.
import { parseArgs } from 'node:util';
import { type CampaignResult, FINDINGS_DIR, fuzzTargetFor } from './fuzz-campaign.js';
import { FUZZ_TARGETS, fuzzTarget } from './fuzz-targets.js';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: FINDINGS_DIR },
    'hang-ms': { type: 'string', default: '1000' },
    'heap-mb': { type: 'string', default: '512' },
    'rss-growth-mb': { type: 'string', default: '1024' },
  },
});

function count(name: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`fuzz: --${name} must be a positive whole number, not ${text}`);
    process.exit(2);
  }
  return value;
}

/** The share of inputs the decoder refused as malformed: the rest went all the way through it. */
function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}

function table(rows: readonly CampaignResult[]): string {
  const header = ['decoder', 'inputs run', 'crashes', 'hangs', 'blow-ups', 'seconds', 'refused'];
  const cells = rows.map((r) =>
    [r.target, r.inputs, r.crashes, r.hangs, r.blowUps, r.seconds.toFixed(1), percent(r.refused, r.inputs)].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`,
  ]
    .concat(cells.map(line))
    .join('\n');
}

const names = values.only?.split(',').map((name) => name.trim()) ?? FUZZ_TARGETS.map((target) => target.name);
let targets: ReturnType<typeof fuzzTarget>[];
try {
  targets = names.map(fuzzTarget);
} catch (error) {
  console.error(`fuzz: ${(error as Error).message}`);
  process.exit(2);
}
const options = {
  inputs: count('inputs', values.inputs),
  seed: count('seed', values.seed),
  hangMs: count('hang-ms', values['hang-ms']),
  heapMb: count('heap-mb', values['heap-mb']),
  rssGrowthMb: count('rss-growth-mb', values['rss-growth-mb']),
  findingsDir: values.out,
  onProgress: (target: string, done: number) => console.error(`fuzz: ${target} ${done} inputs`),
};
const results: CampaignResult[] = [];
for (const target of targets) {
  console.error(`fuzz: ${target.name}: ${target.what}`);
  const result = await fuzzTargetFor(target, options);
  results.push(result);
  console.error(
    `fuzz: ${target.name} done: ${result.inputs} inputs, ${result.crashes} crashes, ${result.hangs} hangs, ` +
      `${result.blowUps} blow-ups, ${result.seconds.toFixed(1)} s`,
  );
  for (const finding of result.findings.slice(0, 20)) {
    console.error(
      `fuzz: ${target.name} ${finding.kind} at input ${finding.index}: ${finding.signature.split('\n')[0]}`,
    );
    if (finding.file) console.error(`      written to ${finding.file}`);
  }
}
console.log(
  `seed ${options.seed}, ${options.inputs} inputs per decoder, hang > ${options.hangMs} ms, heap cap ${options.heapMb} MB`,
);
console.log(table(results));
process.exitCode = results.some((r) => r.findings.length > 0) ? 1 : 0;
