// BitWriter: packs variable-length codes most significant bit first into a growing byte buffer (T.4/T.6 bit order).

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
   * packed mode codes): the row coders list a row's codes and hand them over here, so this loop is the only place
   * that packs bits, and it keeps the word, its free bits and the length in locals for the whole row.
   */
  writeCodes(codes: Int32Array, count: number): void {
    // No code is longer than 32 bits, so each stores at most one word; the check is made once for the row.
    this.reserve(count * 4);
    const view = this.view;
    let length = this.length;
    let word = this.word;
    let free = this.free;
    for (let i = 0; i < count; i++) {
      const code = codes[i];
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
