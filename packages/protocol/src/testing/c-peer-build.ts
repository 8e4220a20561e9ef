// Test support: compiles the C test peers under interop/ (SpanDSP's T.38 terminal, its modems) once per source version,
// caching each binary under node_modules/.cache keyed by the sha256 of its source and build command.

import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const execFileAsync = promisify(execFile);

/** One C peer: where its source is and what it links against. */
export interface CPeerRecipe {
  /** The binary's file name, e.g. `t38-peer`. */
  readonly name: string;
  /** Source file, relative to the repository root. */
  readonly source: string;
  /** Headers the peer includes, probed before compiling so a missing package is named rather than a gcc error. */
  readonly headers: readonly string[];
  /** The repository's own headers it includes (relative to the root), part of its version as its source is. */
  readonly localHeaders?: readonly string[];
  /** Libraries to link, without `-l`. */
  readonly libraries: readonly string[];
  /** What to install when gcc or a header is missing, e.g. `apt-get install gcc libspandsp-dev (or run .ci/run)`. */
  readonly installHint: string;
}

const building = new Map<string, Promise<string>>();

/**
 * Compiles the recipe's source into node_modules/.cache/faxd-c-peers/<sha256>/<name> unless that binary exists, and
 * returns its path. Throws, naming the packages to install, when gcc or the headers are missing.
 */
export function buildCPeer(recipe: CPeerRecipe): Promise<string> {
  let pending = building.get(recipe.name);
  if (!pending) {
    pending = compilePeer(recipe).catch((error: unknown) => {
      building.delete(recipe.name);
      throw error;
    });
    building.set(recipe.name, pending);
  }
  return pending;
}

/** The error to throw when a built peer cannot start because a shared library is missing, else undefined. */
export function missingLibraryError(recipe: CPeerRecipe, stderr: string): Error | undefined {
  if (!stderr.includes('error while loading shared libraries')) return undefined;
  return new Error(`the ${recipe.name} peer cannot start (${stderr.trim()}): ${recipe.installHint}`);
}

async function compilePeer(recipe: CPeerRecipe): Promise<string> {
  const root = repoRoot();
  const source = join(root, recipe.source);
  const gccArguments = ['-O2', '-Wall', source, ...recipe.libraries.map((library) => `-l${library}`)];
  const hash = createHash('sha256').update(await readFile(source));
  for (const header of recipe.localHeaders ?? []) hash.update(await readFile(join(root, header)));
  hash.update(gccArguments.slice(3).join(' '));
  const version = hash.digest('hex');
  const directory = join(root, 'node_modules', '.cache', 'faxd-c-peers', version);
  const binary = join(directory, recipe.name);
  if (existsSync(binary)) return binary;
  await checkToolchain(recipe);
  await mkdir(directory, { recursive: true });
  // Built under a private name and renamed into place: rename is atomic, so a test process racing this one sees either
  // no binary or a whole one, and the last of two identical builds simply wins.
  const partial = join(directory, `${recipe.name}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await execFileAsync('gcc', ['-o', partial, ...gccArguments]);
    await rename(partial, binary);
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`building the ${recipe.name} peer from ${source} failed (${recipe.installHint}):\n${stderr}`);
  }
  return binary;
}

/** gcc and the recipe's headers, checked by preprocessing its includes. */
async function checkToolchain(recipe: CPeerRecipe): Promise<void> {
  try {
    await execFileAsync('sh', ['-c', 'command -v gcc']);
  } catch {
    throw new Error(`gcc is not installed, so the ${recipe.name} peer cannot be built: ${recipe.installHint}`);
  }
  const probe = spawn('gcc', ['-E', '-x', 'c', '-o', '/dev/null', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  probe.stderr.on('data', (chunk: Uint8Array) => {
    stderr += chunk.toString();
  });
  probe.stdin.end(recipe.headers.map((header) => `#include <${header}>\n`).join(''));
  const code = await new Promise<number | null>((resolve) => probe.on('close', resolve));
  if (code !== 0) {
    const first = stderr.trim().split('\n')[0];
    throw new Error(`headers of the ${recipe.name} peer are missing (${first}): ${recipe.installHint}`);
  }
}
