// Test support: a page of a PDF rendered by Ghostscript, an independent CCITTFaxDecode, at the resolution of the page
// it should equal, so the two compare pixel for pixel.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BilevelPage } from '../image/page.js';
import { readPbm } from './pbm.js';
import { requireTool } from './system-tools.js';

/** Page `n` (1-based) of the PDF file `pdf` at the resolution of `like`; `work` is a folder for gs's output. */
export function gsRenderPage(pdf: string, n: number, like: BilevelPage, work: string): BilevelPage {
  const output = join(work, `gs-${n}.pbm`);
  execFileSync(requireTool('gs'), [
    '-q',
    '-dNOPAUSE',
    '-dBATCH',
    '-dSAFER',
    '-sDEVICE=pbmraw',
    `-r${like.xResolution}x${like.yResolution}`,
    `-dFirstPage=${n}`,
    `-dLastPage=${n}`,
    `-sOutputFile=${output}`,
    pdf,
  ]);
  return readPbm(output);
}
