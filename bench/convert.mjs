// Benchmark: the user's path, `fax convert` as a whole process (start-up included) against the reference tools.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTiff, samePixels } from '@faxd/protocol';
import { pdfSubmissions, textSubmissions } from './convert-submissions.mjs';
import { machineLoad, pairedRuns, reportPair, requireProgram, timeProcess } from './timing.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'bench', 'out', 'convert');
const charts = join(root, 'packages', 'protocol', 'testdata', 'itu-fax');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const fax = [process.execPath, join(root, 'packages', 'cli', 'dist', 'fax.js'), 'convert'];

mkdirSync(out, { recursive: true });

/** tiffcp's -c argument for each faxd coding; MH and MR with EOLs on byte boundaries, as faxd writes them. */
const TIFFCP_CODING = { mh: 'g3:1d:fill', mr: 'g3:2d:fill', mmr: 'g4' };

/**
 * A 150-page G4 TIFF in fax geometry (1728 pixels at 204 × 196 dpi, one strip per page): the ITU charts in turn,
 * made by libtiff so neither tool reads its own output. Both tools convert this same file.
 */
function faxTiffInput() {
  requireProgram('tiffcp', 'libtiff-tools');
  requireProgram('pnmtotiff', 'netpbm');
  const chartTiffs = [];
  for (let n = 1; n <= 8; n++) {
    const tif = join(out, `itu${n}-g4.tif`);
    const pbm = join(charts, `itu${n}.pbm`);
    const args = ['-g4', '-miniswhite', '-xresolution', '204', '-yresolution', '196', pbm];
    writeFileSync(tif, execFileSync('pnmtotiff', args, { maxBuffer: 1 << 24 }));
    chartTiffs.push(tif);
  }
  const input = join(out, 'g4-150.tif');
  const pages = Array.from({ length: 150 }, (_, i) => chartTiffs[i % 8]);
  timeProcess(['tiffcp', '-r', '2376', ...pages, input]);
  return input;
}

/** Fails unless both files hold the same pages, pixel for pixel: the two tools did the same work. */
function assertSamePages(ours, reference) {
  const a = readTiff(readFileSync(ours));
  const b = readTiff(readFileSync(reference));
  if (a.length !== b.length || a.some((page, i) => !samePixels(page.page, b[i].page))) {
    throw new Error(`${ours} and ${reference} differ`);
  }
}

/** Runs several processes one after another; returns their total wall time in seconds. */
function chain(argvs) {
  return () => argvs.reduce((seconds, argv) => seconds + timeProcess(argv), 0);
}

/** The figure: the 150-page G4 TIFF to MH and back to G4, two `fax convert` runs against two `tiffcp` runs. */
function tiffRoundTrip(input) {
  const name = (tool, coding) => join(out, `round-${tool}-${coding}.tif`);
  const summary = pairedRuns(
    chain([
      [...fax, input, '-o', name('faxd', 'mh'), '--compression', 'mh'],
      [...fax, name('faxd', 'mh'), '-o', name('faxd', 'mmr'), '--compression', 'mmr'],
    ]),
    chain([
      ['tiffcp', '-c', TIFFCP_CODING.mh, input, name('tiffcp', 'mh')],
      ['tiffcp', '-c', TIFFCP_CODING.mmr, name('tiffcp', 'mh'), name('tiffcp', 'mmr')],
    ]),
    runs,
  );
  assertSamePages(name('faxd', 'mmr'), name('tiffcp', 'mmr'));
  reportPair('TIFF G4 → MH → G4', summary, 'tiffcp');
}

/** Every coding to every coding, one conversion each, from the same 150 pages coded by libtiff. */
function tiffAnyToAny(input) {
  const inputs = {};
  for (const [coding, tiffcp] of Object.entries(TIFFCP_CODING)) {
    inputs[coding] = join(out, `in-${coding}.tif`);
    timeProcess(['tiffcp', '-c', tiffcp, input, inputs[coding]]);
  }
  for (const from of Object.keys(TIFFCP_CODING)) {
    for (const [to, tiffcp] of Object.entries(TIFFCP_CODING)) {
      const ours = join(out, `faxd-${from}-${to}.tif`);
      const reference = join(out, `tiffcp-${from}-${to}.tif`);
      const summary = pairedRuns(
        [...fax, inputs[from], '-o', ours, '--compression', to],
        ['tiffcp', '-c', tiffcp, inputs[from], reference],
        runs,
      );
      assertSamePages(ours, reference);
      reportPair(`TIFF ${from.toUpperCase()} → ${to.toUpperCase()}`, summary, 'tiffcp');
    }
  }
}

console.log(`fax convert against the reference tools, ${Math.max(5, runs)} interleaved pairs each, ${machineLoad()}`);
const faxTiff = faxTiffInput();
console.log('150 pages of 1728x2376 (ITU charts 1-8 in turn), whole processes');
tiffRoundTrip(faxTiff);
tiffAnyToAny(faxTiff);
await textSubmissions();
await pdfSubmissions();
