// What a fuzzing thread and the thread that started it share: the thread's arguments, the slots of shared memory it
// keeps its progress in, the messages it posts, and how a crash is told apart from another.
export interface FuzzWorkerData {
  /** The module whose FUZZ_TARGETS holds the target: fuzz-targets.js but in the fuzzer's own tests. */
  readonly targets: string;
  readonly target: string;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Int32 slots: PROGRESS_INDEX, PROGRESS_CRASHES, PROGRESS_REFUSED. */
  readonly progress: SharedArrayBuffer;
}

export const PROGRESS_INDEX = 0;
export const PROGRESS_CRASHES = 1;
/** Inputs the decoder refused with its own typed error: the rest got through it whole. */
export const PROGRESS_REFUSED = 2;
export const PROGRESS_SLOTS = 3;

export type FuzzWorkerMessage =
  | { readonly type: 'ready'; readonly seeds: readonly Uint8Array[] }
  | { readonly type: 'crash'; readonly index: number; readonly signature: string; readonly detail: string }
  | { readonly type: 'done' };

/** What tells one crash from another: the error's type, its message without numbers, and where it was thrown. */
export function crashSignature(error: unknown): { signature: string; detail: string } {
  if (!(error instanceof Error)) return { signature: `thrown ${typeof error}`, detail: String(error) };
  const frame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  const place = frame?.replace(/^.*\/(?:dist|src)\//, '').replace(/[()]/g, '') ?? '';
  const message = error.message.replace(/\d+/g, 'N').slice(0, 120);
  return { signature: `${error.name}: ${message} @ ${place}`, detail: error.stack ?? error.message };
}
