// BitWriter: packs variable-length codes most significant bit first into a growing byte buffer (T.4/T.6 bit order).

/** Appends codes of up to 25 bits, MSB first; the first bit written is bit 7 of byte 0. */
export class BitWriter {
  private buffer: Uint8Array;
  private length = 0;
  /** Pending bits, right-aligned: the low `pending` (< 8) bits; the bits above them were stored already. */
  private accumulator = 0;
  private pending = 0;

  constructor(initialCapacity = 4096) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.length * 8 + this.pending;
  }

  /**
   * Writes `code` as `count` (<= 25) bits. With fewer than 8 bits pending, the shift below holds at most 32: the most
   * a 32-bit integer takes, and 25 is the longest code written at once (a black make-up code joined to its
   * terminating code, ColourCodes.runCodes).
   */
  write(code: number, count: number): void {
    const acc = (this.accumulator << count) | code;
    let pending = this.pending + count;
    // Most codes are short (V0 is one bit): only every few writes completes a byte and touches the buffer.
    if (pending >= 8) {
      if (this.length + 4 > this.buffer.length) this.grow();
      const buffer = this.buffer;
      let length = this.length;
      do {
        pending -= 8;
        buffer[length++] = acc >>> pending;
      } while (pending >= 8);
      this.length = length;
    }
    this.accumulator = acc;
    this.pending = pending;
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
    if (this.pending > 0) this.write(0, 8 - this.pending);
    return this.buffer.slice(0, this.length);
  }

  private grow(): void {
    const bigger = new Uint8Array(this.buffer.length * 2);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}
