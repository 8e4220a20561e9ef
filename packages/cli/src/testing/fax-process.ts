// Test support: the `fax` command run as its own process against a faxd, its output collected as it comes, for the
// command tests (which run faxd in the test's own process, so the command must run asynchronously: spawnSync would
// stall the server).

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FAX = fileURLToPath(new URL('../fax.js', import.meta.url));

export interface FaxRunOptions {
  /** The faxd the command talks to (FAXD_URL). */
  readonly url: string;
  /** The directory it runs in. */
  readonly cwd: string;
  /** More environment, over the test's own (FAXD_URL may be overridden here). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** A running `fax` process whose output is collected; `until` waits for the output to satisfy a condition. */
export class FaxProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  constructor(args: readonly string[], options: FaxRunOptions) {
    this.child = spawn(process.execPath, [FAX, ...args], {
      cwd: options.cwd,
      env: { ...process.env, FAXD_URL: options.url, FAXD_TOKEN: '', ...options.env },
    });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => this.#take('stdout', text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => this.#take('stderr', text));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  #take(stream: 'stdout' | 'stderr', text: string): void {
    this[stream] += text;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async until(condition: (process: FaxProcess) => boolean): Promise<void> {
    while (!condition(this)) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

/** Runs `fax ARGS` to its end: its exit status and everything it wrote. */
export async function runFax(args: readonly string[], options: FaxRunOptions) {
  const child = new FaxProcess(args, options);
  const status = await child.exited;
  return { status, stdout: child.stdout, stderr: child.stderr };
}
