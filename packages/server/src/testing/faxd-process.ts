// Test support: faxd as its own process (`faxd --config FILE`), for tests where it must survive, crash or restart as
// the real thing would.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { testStoreKeys } from './test-store.js';

export interface FaxdProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Everything it wrote to stdout alone so far. */
  stdout(): string;
}

/**
 * Starts `faxd --config FILE` as its own process, with `env` added to ours and `nodeArgs` given to node (a benchmark's
 * --cpu-prof, which NODE_OPTIONS does not take); resolves once it listens.
 */
export async function startFaxdProcess(
  config: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: readonly string[] = [],
): Promise<FaxdProcess> {
  const faxd = join(repoRoot(), 'packages/cli/bin/faxd.js');
  const child = spawn(process.execPath, [...nodeArgs, faxd, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  let stdout = '';
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
      // Looked for until found only: the log that follows can run to megabytes.
      const match = listening ? null : /listening on (\S+);/.exec(output);
      if (match) {
        listening = true;
        resolve(match[1] as string);
      }
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`faxd exited with ${code}: ${output}`)));
  });
  return { url, child, output: () => output, stdout: () => stdout };
}

/**
 * Writes `config` (HTTP on a free port and the test store, FAXD_TEST_STORE, unless it says otherwise) as
 * `directory`/faxd.json; the file's path.
 */
export async function writeFaxdConfig(directory: string, config: Record<string, unknown>): Promise<string> {
  const path = join(directory, 'faxd.json');
  const store = await testStoreKeys(typeof config.dataDir === 'string' ? config.dataDir : './var');
  await writeFile(path, JSON.stringify({ listen: '127.0.0.1:0', ...store, ...config }));
  return path;
}
