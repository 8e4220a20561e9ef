// Test support: a long PDF made by Ghostscript from the sample letter (samples/letter.ps, two pages) repeated, for
// tests that need a document long enough for the helper and conversion threads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';

/** The bytes of a PDF of `copies` sample letters (2 × `copies` A4 pages, odd pages the letter's first). */
export function repeatedLetterPdf(copies: number): Buffer {
  requireTool('gs');
  const dir = mkdtempSync(join(tmpdir(), 'faxd-letters-'));
  try {
    const out = join(dir, 'letters.pdf');
    const letter = join(repoRoot(), 'samples', 'letter.ps');
    const gs = ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', `-sOutputFile=${out}`];
    execFileSync('gs', [...gs, ...Array(copies).fill(letter)]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
