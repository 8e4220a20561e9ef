// Test support: reading PBM P4 files (the ITU charts) into pages.
import { readFileSync } from 'node:fs';
import { type BilevelPage, pageFromRows } from '../image/page.js';

/** Parses a binary PBM (P4); comments are allowed between header fields. */
export function parsePbm(bytes: Uint8Array, xResolution = 204, yResolution = 196): BilevelPage {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
      if (bytes[at] !== 0x23) break;
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) at++;
    return String.fromCharCode(...bytes.subarray(start, at));
  };
  if (token() !== 'P4') throw new Error('not a P4 PBM');
  const width = Number(token());
  const height = Number(token());
  at++;
  const size = ((width + 7) >> 3) * height;
  // Copy into a plain Uint8Array (not a Buffer) so pages compare equal to decoded ones.
  return pageFromRows({ width, height, xResolution, yResolution }, new Uint8Array(bytes.subarray(at, at + size)));
}

export function readPbm(path: string): BilevelPage {
  return parsePbm(readFileSync(path));
}
