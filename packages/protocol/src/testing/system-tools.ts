// Test support: locate the system programs that interop tests run (libtiff, netpbm, ghostscript), failing loudly when absent.
import { execFileSync } from 'node:child_process';

const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  tiffcp: 'libtiff-tools',
  tiffinfo: 'libtiff-tools',
  tiffdump: 'libtiff-tools',
  tifftopnm: 'netpbm',
  pnmtotiff: 'netpbm',
  pbmtog3: 'netpbm',
  g3topbm: 'netpbm',
  gs: 'ghostscript',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pgmmake: 'netpbm',
  ppmmake: 'netpbm',
  sipp: 'sip-tester',
};

/** Returns the program's path, or throws an Error naming the Debian package to install; never skips. */
export function requireTool(program: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
  } catch {
    const pkg = DEBIAN_PACKAGE[program] ?? 'the package that provides it';
    throw new Error(`${program} is not installed: apt-get install ${pkg} (or run .ci/run)`);
  }
}
