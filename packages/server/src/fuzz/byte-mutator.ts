// The fuzzer's mutations: input number i of a run is a seed input changed a few times by a generator seeded with
// (run seed, i), so any input a run found is made again from its number alone, on any thread, without storing it.
import { seededRandom } from '@faxd/protocol/testing/lossy-link';

/** Values that sit on the edges decoders test: zero, sign bits, all ones, one past a byte or a 16-bit count. */
const EDGE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0d, 0x0a, 0x20, 0x3a, 0x3b];
const EDGE_WORDS = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];
/** Numbers written into text formats (Content-Length, SDP ports, JSON values) in place of a number there. */
const EDGE_NUMBERS = ['0', '-1', '65536', '4294967296', '99999999999999999999', '1e308', '-0', '1.5', 'NaN', ''];

export interface MutatorOptions {
  /** Inputs are cut to this many bytes, so a run of duplications cannot outgrow what a peer could send. */
  readonly maxBytes: number;
  /** Byte strings of the format (keywords, separators) inserted whole, so text formats get past their first check. */
  readonly dictionary?: readonly Uint8Array[];
}

type Random = () => number;

function below(random: Random, n: number): number {
  return Math.floor(random() * n);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[below(random, items.length)];
}

function splice(input: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  remove = Math.min(remove, input.length - at);
  const out = new Uint8Array(input.length - remove + insert.length);
  out.set(input.subarray(0, at));
  out.set(insert, at);
  out.set(input.subarray(at + remove), at + insert.length);
  return out;
}

function randomBytes(random: Random, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = below(random, 256);
  return out;
}

/** A range inside `input`, mostly short: long ranges come from repeating mutations. */
function range(random: Random, input: Uint8Array): [number, number] {
  const from = below(random, input.length + 1);
  const length = Math.min(input.length - from, 1 + below(random, random() < 0.8 ? 16 : 512));
  return [from, Math.max(0, length)];
}

/** Replaces the run of ASCII digits nearest a random place with an edge number. */
function swapNumber(random: Random, input: Uint8Array): Uint8Array {
  const start = below(random, input.length);
  let at = start;
  while (at < input.length && !(input[at] >= 0x30 && input[at] <= 0x39)) at++;
  if (at === input.length) return input;
  let end = at;
  while (end < input.length && input[end] >= 0x30 && input[end] <= 0x39) end++;
  return splice(input, at, end - at, new TextEncoder().encode(pick(random, EDGE_NUMBERS)));
}

function writeWord(random: Random, input: Uint8Array): Uint8Array {
  if (input.length < 4) return input;
  const out = input.slice();
  const at = below(random, input.length - 3);
  const view = new DataView(out.buffer);
  const value = pick(random, EDGE_WORDS) + (random() < 0.3 ? below(random, 3) - 1 : 0);
  if (random() < 0.5) view.setUint16(at, value & 0xffff, random() < 0.5);
  else view.setUint32(at, value >>> 0, random() < 0.5);
  return out;
}

function mutateOnce(random: Random, input: Uint8Array, corpus: readonly Uint8Array[], options: MutatorOptions) {
  switch (below(random, 10)) {
    case 0: {
      if (input.length === 0) return randomBytes(random, 1 + below(random, 8));
      const out = input.slice();
      const at = below(random, out.length);
      out[at] ^= 1 << below(random, 8);
      return out;
    }
    case 1: {
      if (input.length === 0) return input;
      const out = input.slice();
      out[below(random, out.length)] = random() < 0.5 ? pick(random, EDGE_BYTES) : below(random, 256);
      return out;
    }
    case 2:
      return writeWord(random, input);
    case 3:
      return splice(input, below(random, input.length + 1), 0, randomBytes(random, 1 + below(random, 16)));
    case 4: {
      const [from, length] = range(random, input);
      return splice(input, from, length, new Uint8Array(0));
    }
    case 5: {
      // A stretch repeated: long runs, deep nesting and many repeated headers come from here.
      const [from, length] = range(random, input);
      const copies = 1 + below(random, random() < 0.9 ? 4 : 256);
      const chunk = input.subarray(from, from + length);
      const repeated = new Uint8Array(chunk.length * copies);
      for (let i = 0; i < copies; i++) repeated.set(chunk, i * chunk.length);
      return splice(input, from, 0, repeated.subarray(0, options.maxBytes));
    }
    case 6: {
      // Crossover: the head of this input, the tail of another.
      const other = pick(random, corpus);
      return splice(input, below(random, input.length + 1), input.length, other.subarray(below(random, other.length)));
    }
    case 7:
      return input.subarray(0, below(random, input.length + 1));
    case 8:
      return swapNumber(random, input);
    default: {
      const words = options.dictionary;
      if (!words || words.length === 0) return writeWord(random, input);
      const [from, length] = range(random, input);
      return splice(input, from, random() < 0.5 ? 0 : Math.min(length, 4), pick(random, words));
    }
  }
}

/** Mixes the run seed and input number into one 32-bit generator seed. */
function inputSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ index;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Input number `index` of the run seeded `seed`: one of `corpus` (or, now and then, plain random bytes) with one to
 * eight mutations stacked, at most `options.maxBytes` long. The same arguments always give the same bytes.
 */
export function mutatedInput(
  seed: number,
  index: number,
  corpus: readonly Uint8Array[],
  options: MutatorOptions,
): Uint8Array {
  const random = seededRandom(inputSeed(seed, index));
  if (corpus.length === 0 || random() < 1 / 64) return randomBytes(random, below(random, 512));
  let input = pick(random, corpus);
  // Every 32nd input is a seed as it is, so the paths a valid input takes are run from the start.
  if (random() < 1 / 32) return input.slice();
  const rounds = 1 + below(random, random() < 0.7 ? 2 : 8);
  for (let i = 0; i < rounds; i++) {
    input = mutateOnce(random, input, corpus, options);
    if (input.length > options.maxBytes) input = input.subarray(0, options.maxBytes);
  }
  // A copy, so a decoder that wrote into its input could not change the seeds later inputs are made from.
  return input.slice();
}
