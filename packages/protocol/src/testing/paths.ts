// Test support: paths to the repository root and the ITU test charts in testdata/, found from the compiled test's location.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding the workspace root package.json (the one that declares "workspaces"). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found above the test file');
    dir = parent;
  }
}

/** The ITU-T test chart N (1..8) as a PBM P4 file, from packages/protocol/testdata/itu-fax (see its README). */
export function ituChartPath(n: number): string {
  const path = join(repoRoot(), 'packages', 'protocol', 'testdata', 'itu-fax', `itu${n}.pbm`);
  if (!existsSync(path))
    throw new Error(`ITU chart ${n} not found at ${path}: the repository's testdata is incomplete`);
  return path;
}
