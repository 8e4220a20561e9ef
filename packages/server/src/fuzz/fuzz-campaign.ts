// Runs one fuzz target for a number of inputs in a worker thread and watches it: an input still running after the
// hang limit, a heap past its cap, or the process's memory grown past a limit ends the thread, is recorded with the
// input that did it, and a new thread carries on from the next input. Crashes come from the thread itself.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { mutatedInput } from './byte-mutator.js';
import type { FuzzTarget } from './fuzz-targets.js';
import {
  type FuzzWorkerData,
  type FuzzWorkerMessage,
  PROGRESS_CRASHES,
  PROGRESS_INDEX,
  PROGRESS_REFUSED,
  PROGRESS_SLOTS,
} from './fuzz-worker-messages.js';

/** Where `npm run fuzz` writes what it finds, and where the short fuzz test replays it from. */
export const FINDINGS_DIR = join(repoRoot(), 'packages', 'server', 'testdata', 'fuzz-findings');

export interface CampaignOptions {
  readonly inputs: number;
  readonly seed: number;
  /** An input running longer than this is a hang (1 s). */
  readonly hangMs: number;
  /** The worker's V8 heap cap; going past it is a memory blow-up. */
  readonly heapMb: number;
  /** Growth of the process's resident memory over its level once the worker is ready that counts as a blow-up. */
  readonly rssGrowthMb: number;
  /** Where found inputs are written, one folder per target; nowhere when absent. */
  readonly findingsDir?: string;
  /** The module whose FUZZ_TARGETS holds the target; fuzz-targets.js when absent. */
  readonly targets?: URL;
  /** Called every few seconds with the inputs run so far. */
  readonly onProgress?: (target: string, done: number) => void;
}

export type FindingKind = 'crash' | 'hang' | 'blow-up';

export interface Finding {
  readonly kind: FindingKind;
  readonly index: number;
  readonly signature: string;
  readonly input: Uint8Array;
  /** The file it was written to, if it was. */
  readonly file?: string;
}

export interface CampaignResult {
  readonly target: string;
  readonly inputs: number;
  readonly crashes: number;
  readonly hangs: number;
  readonly blowUps: number;
  /** Inputs the decoder refused with its own typed error (the rest it decoded, or faxd served). */
  readonly refused: number;
  readonly seconds: number;
  /** One per crash signature, and every hang and blow-up. */
  readonly findings: Finding[];
}

const POLL_MS = 100;
const PROGRESS_EVERY_MS = 15_000;
/** A target has this long to start (faxd to come up, seeds to be made) before its thread counts as hung. */
const START_LIMIT_MS = 120_000;

/** How one worker thread ended: done, or stopped at `index` by what happened there. */
type WorkerEnd =
  | { readonly kind: 'done' }
  | { readonly kind: FindingKind; readonly index: number; readonly signature: string };

interface Watch {
  readonly progress: Int32Array;
  seeds: readonly Uint8Array[];
  readonly crashes: { index: number; signature: string; detail: string }[];
}

function runWorker(target: FuzzTarget, from: number, options: CampaignOptions, watch: Watch): Promise<WorkerEnd> {
  const data: FuzzWorkerData = {
    targets: (options.targets ?? new URL('./fuzz-targets.js', import.meta.url)).href,
    target: target.name,
    seed: options.seed,
    from,
    to: options.inputs,
    progress: watch.progress.buffer as SharedArrayBuffer,
  };
  Atomics.store(watch.progress, PROGRESS_INDEX, from);
  const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
  });
  return new Promise<WorkerEnd>((resolve) => {
    let ready = false;
    let last = -1;
    let since = Date.now();
    let lastReport = Date.now();
    let baseline = 0;
    let settled = false;
    const end = (result: WorkerEnd) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      worker.removeAllListeners();
      // A worker stuck in a loop is stopped by terminate all the same; its exit is not waited for beyond that.
      worker.on('error', () => {});
      void worker.terminate().finally(() => resolve(result));
    };
    const at = () => Atomics.load(watch.progress, PROGRESS_INDEX);
    const timer = setInterval(() => {
      const now = Date.now();
      if (!ready) {
        if (now - since > START_LIMIT_MS) end({ kind: 'hang', index: at(), signature: 'the target did not start' });
        return;
      }
      const index = at();
      if (index !== last) {
        last = index;
        since = now;
      } else if (now - since > options.hangMs && index < options.inputs) {
        // (Past the last input the thread is closing the target, faxd for the HTTP API, which may take longer.)
        end({ kind: 'hang', index, signature: `an input ran over ${options.hangMs} ms` });
        return;
      }
      const grown = (process.memoryUsage.rss() - baseline) / 2 ** 20;
      if (grown > options.rssGrowthMb) {
        end({ kind: 'blow-up', index, signature: `resident memory grew ${Math.round(grown)} MB` });
        return;
      }
      if (now - lastReport > PROGRESS_EVERY_MS) {
        lastReport = now;
        options.onProgress?.(target.name, index);
      }
    }, POLL_MS);
    worker.on('message', (message: FuzzWorkerMessage) => {
      if (message.type === 'ready') {
        ready = true;
        since = Date.now();
        watch.seeds = message.seeds;
        baseline = process.memoryUsage.rss();
      } else if (message.type === 'crash') {
        watch.crashes.push(message);
      } else {
        end({ kind: 'done' });
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const index = at();
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        end({ kind: 'blow-up', index, signature: `heap over ${options.heapMb} MB` });
      } else {
        end({ kind: 'crash', index, signature: `the thread died: ${error.name}: ${error.message.slice(0, 120)}` });
      }
    });
    worker.on('exit', (code) => end({ kind: 'crash', index: at(), signature: `the thread exited with ${code}` }));
  });
}

async function record(
  target: FuzzTarget,
  kind: FindingKind,
  index: number,
  signature: string,
  options: CampaignOptions,
  seeds: readonly Uint8Array[],
): Promise<Finding> {
  const encoder = new TextEncoder();
  const mutator = { maxBytes: target.maxBytes, dictionary: target.dictionary?.map((word) => encoder.encode(word)) };
  const input = mutatedInput(options.seed, index, seeds, mutator);
  if (!options.findingsDir) return { kind, index, signature, input };
  const folder = join(options.findingsDir, target.name);
  await mkdir(folder, { recursive: true });
  const hash = createHash('sha256').update(input).digest('hex').slice(0, 16);
  const file = join(folder, `${kind}-${hash}.bin`);
  await writeFile(file, input);
  await writeFile(`${file}.txt`, `${signature}\nseed ${options.seed}, input ${index}\n`);
  return { kind, index, signature, input, file };
}

/** Runs `options.inputs` inputs of `target` (seeded by `options.seed`, so the same options find the same things). */
export async function fuzzTargetFor(target: FuzzTarget, options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const watch: Watch = {
    progress: new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT)),
    seeds: [],
    crashes: [],
  };
  const ends: Finding[] = [];
  let hangs = 0;
  let blowUps = 0;
  let threadCrashes = 0;
  for (let from = 0; from < options.inputs; ) {
    const end = await runWorker(target, from, options, watch);
    if (end.kind === 'done') break;
    if (end.kind === 'hang') hangs++;
    else if (end.kind === 'blow-up') blowUps++;
    else threadCrashes++;
    ends.push(await record(target, end.kind, end.index, end.signature, options, watch.seeds));
    if (watch.seeds.length === 0) break;
    from = end.index + 1;
  }
  const crashes: Finding[] = [];
  const signatures = new Set<string>();
  for (const crash of watch.crashes) {
    // Each new thread reports the signatures it meets afresh; one input per signature is enough.
    if (signatures.has(crash.signature)) continue;
    signatures.add(crash.signature);
    crashes.push(
      await record(target, 'crash', crash.index, `${crash.signature}\n${crash.detail}`, options, watch.seeds),
    );
  }
  return {
    target: target.name,
    inputs: options.inputs,
    crashes: Atomics.load(watch.progress, PROGRESS_CRASHES) + threadCrashes,
    hangs,
    blowUps,
    refused: Atomics.load(watch.progress, PROGRESS_REFUSED),
    seconds: (Date.now() - started) / 1000,
    findings: [...crashes, ...ends],
  };
}
