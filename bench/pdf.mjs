// Benchmark: PDF to a fine-resolution G4 fax TIFF, faxd's `fax convert` against Ghostscript's tiffg4 device, whole processes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pairedRuns, reportPair, requireProgram, timeProcess } from './timing.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'bench', 'out');
const copies = Number(process.env.BENCH_PDF_COPIES ?? 50);
const runs = Number(process.env.BENCH_RUNS ?? 5);

requireProgram('gs', 'ghostscript');
mkdirSync(out, { recursive: true });

// A multi-page document (the two-page sample letter, repeated 50 times: 100 pages, about as many as the codec bench's
// 128) so that process start-up does not dominate: Node and the fax command take a third of a second to start,
// Ghostscript under a tenth. BENCH_PDF_COPIES=12 gives the earlier 24-page figure.
const pdf = join(out, 'letters.pdf');
const letter = join(root, 'samples', 'letter.ps');
timeProcess([
  'gs',
  '-q',
  '-dNOPAUSE',
  '-dBATCH',
  '-dSAFER',
  '-sDEVICE=pdfwrite',
  `-sOutputFile=${pdf}`,
  ...Array(copies).fill(letter),
]);

const gs = ['gs', '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=tiffg4', '-r204x196', '-sPAPERSIZE=a4'];
const fax = [process.execPath, join(root, 'packages', 'cli', 'dist', 'fax.js'), 'convert', pdf];
const summary = pairedRuns(
  [...fax, '-o', join(out, 'faxd.tif'), '--resolution', 'fine', '--compression', 'mmr'],
  [...gs, '-dFIXEDMEDIA', `-sOutputFile=${join(out, 'gs.tif')}`, pdf],
  runs,
);
console.log(`PDF (${copies * 2} A4 pages) -> fine G4 TIFF`);
reportPair('pdf -> tiff (render)', summary, 'gs');
