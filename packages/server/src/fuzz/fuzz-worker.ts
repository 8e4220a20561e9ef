// A fuzzing thread: runs inputs `from` to `to` of one target, keeping the number of the input it is on in shared
// memory, so the thread that started it sees a hang (the number stands still) and which input caused it, even while
// this thread is stuck in a loop that never returns. Crashes are caught here and reported one signature at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { mutatedInput } from './byte-mutator.js';
import type { FuzzTarget } from './fuzz-targets.js';
import {
  crashSignature,
  type FuzzWorkerData,
  type FuzzWorkerMessage,
  PROGRESS_CRASHES,
  PROGRESS_INDEX,
  PROGRESS_REFUSED,
} from './fuzz-worker-messages.js';

async function main(data: FuzzWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('fuzz-worker runs as a worker thread');
  const progress = new Int32Array(data.progress);
  const { FUZZ_TARGETS } = (await import(data.targets)) as { FUZZ_TARGETS: readonly FuzzTarget[] };
  const target = FUZZ_TARGETS.find((t) => t.name === data.target);
  if (!target) throw new Error(`no fuzz target ${data.target} in ${data.targets}`);
  const harness = await target.start();
  const seeds = harness.seeds;
  port.postMessage({ type: 'ready', seeds } satisfies FuzzWorkerMessage);
  const encoder = new TextEncoder();
  const options = { maxBytes: target.maxBytes, dictionary: target.dictionary?.map((word) => encoder.encode(word)) };
  const seen = new Set<string>();
  for (let index = data.from; index < data.to; index++) {
    Atomics.store(progress, PROGRESS_INDEX, index);
    const input = mutatedInput(data.seed, index, seeds, options);
    try {
      const pending = harness.run(input);
      if (pending) await pending;
    } catch (error) {
      if (target.expected(error)) {
        Atomics.add(progress, PROGRESS_REFUSED, 1);
        continue;
      }
      Atomics.add(progress, PROGRESS_CRASHES, 1);
      const { signature, detail } = crashSignature(error);
      if (seen.has(signature)) continue;
      seen.add(signature);
      port.postMessage({ type: 'crash', index, signature, detail } satisfies FuzzWorkerMessage);
    }
  }
  Atomics.store(progress, PROGRESS_INDEX, data.to);
  await harness.close?.();
  port.postMessage({ type: 'done' } satisfies FuzzWorkerMessage);
}

// Anything thrown outside an input (the target failing to start) ends the thread with an error its parent reports.
await main(workerData as FuzzWorkerData);
