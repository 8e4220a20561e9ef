// BitWriter: packs variable-length codes most significant bit first into a growing byte buffer (T.4/T.6 bit order).

/**
 * The codes `writeRuns` writes for each run length, packed as writeCodes takes them (the T.4 run-length codes are
 * image/t4-codes' RUN_CODES): one code per run below the tables' length, and for longer runs the longest make-up
 * code, the same for both colours, as often as needed first.
 */
export interface RunCodes {
  readonly white: Int32Array;
  readonly black: Int32Array;
  readonly longMakeUp: number;
  /** The run `longMakeUp` stands for. */
  readonly longMakeUpRun: number;
}

/**
 * Appends codes MSB first; the first bit written is bit 7 of byte 0. Bits gather in a 32-bit word, left-aligned, that
 * is stored whole when it fills: one store per 32 bits, and a write that fits (most of them: V0 is one bit) is a
 * shift, an OR and a subtraction, with a branch that almost always goes the same way.
 */
export class BitWriter {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes stored so far: whole words only, until `finish` stores the last one's bytes. */
  private length = 0;
  /** Pending bits, the first in bit 31; the low `free` bits are zero. */
  private word = 0;
  private free = 32;

  constructor(initialCapacity = 4096) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buffer.buffer);
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.length * 8 + 32 - this.free;
  }

  /** Writes `code` (below 2 ** count) as `count` (0..32) bits. */
  write(code: number, count: number): void {
    if (count <= this.free) {
      this.free -= count;
      // A 32-bit shift is a shift by 0 in JavaScript, but then count is 0 and so is code.
      this.word |= code << this.free;
    } else {
      this.reserve(4);
      const over = count - this.free;
      this.view.setInt32(this.length, this.word | (code >>> over));
      this.length += 4;
      this.free = 32 - over;
      this.word = code << this.free;
    }
  }

  /**
   * Writes `codes[0..count)`, each packed as (value << 5) | length with length 1..25 (ColourCodes.runCodes, the
   * packed mode codes): the 2-D row coder lists a row's codes and hands them over here.
   */
  writeCodes(codes: Int32Array, count: number): void {
    // No code is longer than 32 bits, so each stores at most one word; the check is made once for the row.
    this.reserve(count * 4);
    this.pack(codes, count, undefined);
  }

  /**
   * Writes the codes of a row's runs, alternately white and black from white, that end at `ends[0..count]` (its
   * changing elements, then the row's width): the one-dimensional row of T.4 §4.1 (MH, and MR's 1-D rows). Each
   * code is looked up as it is packed, without listing the row's codes first.
   */
  writeRuns(ends: Int32Array, count: number, codes: RunCodes): void {
    // At most one code per run, plus the long make-up codes, at most one per longMakeUpRun pixels of the row.
    this.reserve((count + 2 + Math.floor(ends[count] / codes.longMakeUpRun)) * 4);
    this.pack(ends, count + 1, codes);
  }

  /**
   * The one loop that packs bits, for writeCodes (`runs` undefined: `source` holds `count` packed codes) and
   * writeRuns (`source` holds `count` run ends). It keeps the word, its free bits and the length in locals for the
   * whole row; the test of `runs`, the same for every code, costs next to nothing.
   */
  private pack(source: Int32Array, count: number, runs: RunCodes | undefined): void {
    const view = this.view;
    let length = this.length;
    let word = this.word;
    let free = this.free;
    let position = 0;
    for (let i = 0; i < count; ) {
      let code: number;
      if (runs === undefined) {
        code = source[i++];
      } else {
        const end = source[i];
        const table = i & 1 ? runs.black : runs.white;
        const run = end - position;
        // A run past the tables goes out as a long make-up code and the rest of it, with i held on the same run.
        if (run < table.length) {
          code = table[run];
          position = end;
          i++;
        } else {
          code = runs.longMakeUp;
          position += runs.longMakeUpRun;
        }
      }
      const bits = code & 31;
      if (bits <= free) {
        free -= bits;
        word |= (code >>> 5) << free;
      } else {
        const over = bits - free;
        view.setInt32(length, word | ((code >>> 5) >>> over));
        length += 4;
        free = 32 - over;
        word = (code >>> 5) << free;
      }
    }
    this.length = length;
    this.word = word;
    this.free = free;
  }

  /** Writes `count` zero bits (any count). */
  writeZeros(count: number): void {
    let left = count;
    while (left > 16) {
      this.write(0, 16);
      left -= 16;
    }
    this.write(0, left);
  }

  /** Pads with zero bits to the next byte boundary and returns the bytes written (a copy). */
  finish(): Uint8Array {
    const used = 32 - this.free;
    this.reserve(4);
    this.view.setInt32(this.length, this.word);
    const end = this.length + ((used + 7) >> 3);
    return this.buffer.slice(0, end);
  }

  /** Makes room for `bytes` more bytes after the stored words, doubling the buffer as often as needed. */
  private reserve(bytes: number): void {
    const needed = this.length + bytes + 4;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
    this.view = new DataView(bigger.buffer);
  }
}
