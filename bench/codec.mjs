// Benchmark: T.4 MH/MR and T.6 MMR encode and decode, faxd against libtiff's tiffcp, whole processes, large input.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLoad, pairedRuns, reportPair, requireProgram, timeProcess } from './timing.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'bench', 'out');
const charts = join(root, 'packages', 'protocol', 'testdata', 'itu-fax');
const copies = Number(process.env.BENCH_CODEC_COPIES ?? 16);
const runs = Number(process.env.BENCH_RUNS ?? 5);

requireProgram('tiffcp', 'libtiff-tools');
requireProgram('pnmtotiff', 'netpbm');
mkdirSync(out, { recursive: true });

// The eight ITU charts, each repeated, as one uncompressed multipage TIFF, plus libtiff's coding of it for each scheme:
// large enough that process start-up does not dominate, and the same input for both tools. MinIsWhite with one strip
// per page, the Class F layout our writer produces, so neither tool spends time on inversion or strip bookkeeping.
const tiffcp = ['tiffcp', '-r', '2376'];
const chartTiffs = [];
for (let n = 1; n <= 8; n++) {
  const tif = join(out, `itu${n}.tif`);
  writeFileSync(
    tif,
    execFileSync('pnmtotiff', ['-none', '-miniswhite', join(charts, `itu${n}.pbm`)], { maxBuffer: 1 << 24 }),
  );
  chartTiffs.push(tif);
}
const none = join(out, 'none.tif');
timeProcess([...tiffcp, '-c', 'none', ...Array.from({ length: copies }, () => chartTiffs).flat(), none]);

const schemes = [
  { name: 'MH', ours: 'mh', libtiff: 'g3:1d' },
  { name: 'MR', ours: 'mr', libtiff: 'g3:2d' },
  { name: 'MMR', ours: 'mmr', libtiff: 'g4' },
];
const driver = [process.execPath, join(root, 'bench', 'transcode-tiff.mjs')];
console.log(
  `ITU charts 1-8 x ${copies} = ${8 * copies} pages of 1728x2376, ${runs} interleaved pairs, ${machineLoad()}`,
);
for (const { name, ours, libtiff } of schemes) {
  const coded = join(out, `${ours}.tif`);
  timeProcess([...tiffcp, '-c', libtiff, none, coded]);
  const encode = pairedRuns(
    [...driver, none, join(out, `faxd-${ours}.tif`), ours],
    [...tiffcp, '-c', libtiff, none, join(out, `tiffcp-${ours}.tif`)],
    runs,
  );
  reportPair(`${name} encode`, encode, 'tiffcp');
  const decode = pairedRuns(
    [...driver, coded, join(out, `faxd-${ours}-none.tif`), 'none'],
    [...tiffcp, '-c', 'none', coded, join(out, `tiffcp-${ours}-none.tif`)],
    runs,
  );
  reportPair(`${name} decode`, decode, 'tiffcp');
}
