// Test support: the pages of a TIFF file as libtiff decodes them (tiffcp to one uncompressed page, netpbm's tifftopnm
// to PBM), so a test compares what faxd wrote or received against an independent decoder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BilevelPage } from '../image/page.js';
import { parsePbm } from './pbm.js';
import { requireTool } from './system-tools.js';

/** Pages 0..count-1 of the TIFF at `path`, decoded by libtiff. */
export function libtiffPages(path: string, count: number): BilevelPage[] {
  const tiffcp = requireTool('tiffcp');
  const tifftopnm = requireTool('tifftopnm');
  const work = mkdtempSync(join(tmpdir(), 'faxd-libtiff-'));
  try {
    const plain = join(work, 'plain.tif');
    execFileSync(tiffcp, ['-c', 'none', path, plain]);
    const pages: BilevelPage[] = [];
    for (let page = 0; page < count; page++) {
      const single = join(work, `page-${page}.tif`);
      execFileSync(tiffcp, [`${plain},${page}`, single]);
      pages.push(parsePbm(execFileSync(tifftopnm, [single], { stdio: ['pipe', 'pipe', 'pipe'] })));
    }
    return pages;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
