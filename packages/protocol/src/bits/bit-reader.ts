// BitReader: MSB-first bit reader with a 32-bit look-ahead window for table-driven T.4/T.6 decoding.

/**
 * Reads bits most significant first. Past the end of the data it supplies zero bits, so decoders
 * must compare `position` with `totalBits` to notice the end; zeros never form a valid fax code.
 */
export class BitReader {
  readonly data: Uint8Array;
  readonly totalBits: number;
  private nextByte = 0;
  /** Look-ahead bits, left-aligned in a 32-bit integer. */
  private window = 0;
  private available = 0;

  constructor(data: Uint8Array) {
    this.data = data;
    this.totalBits = data.length * 8;
  }

  /** Bits consumed so far (may exceed totalBits once reading ran past the end). */
  get position(): number {
    return this.nextByte * 8 - this.available;
  }

  get atEnd(): boolean {
    return this.position >= this.totalBits;
  }

  /** The next `count` bits (1..24) as an unsigned number, without consuming them. */
  peek(count: number): number {
    if (this.available < count) this.refill();
    return this.window >>> (32 - count);
  }

  /** Consumes `count` bits (at most what the last peek looked at). */
  skip(count: number): void {
    this.window <<= count;
    this.available -= count;
  }

  /** Moves to an absolute bit position (used to rescan a damaged row for the EOL that ends it). */
  seek(bit: number): void {
    this.nextByte = bit >> 3;
    this.window = 0;
    this.available = 0;
    if ((bit & 7) !== 0) {
      this.refill();
      this.skip(bit & 7);
    }
  }

  /** Consumes zero bits up to the next 1 bit (or the end of data) and returns how many were skipped. */
  skipZeros(): number {
    let skipped = 0;
    for (;;) {
      if (this.position >= this.totalBits) return skipped;
      const bits = this.peek(16);
      if (bits === 0) {
        this.skip(16);
        skipped += 16;
        continue;
      }
      const zeros = Math.clz32(bits) - 16;
      this.skip(zeros);
      return skipped + zeros;
    }
  }

  /** True when every bit from the current position to the end of data is zero (trailing fill). */
  onlyZerosLeft(): boolean {
    const position = this.position;
    if (position >= this.totalBits) return true;
    let index = position >> 3;
    if ((this.data[index] & (0xff >> (position & 7))) !== 0) return false;
    for (index++; index < this.data.length; index++) if (this.data[index] !== 0) return false;
    return true;
  }

  private refill(): void {
    const data = this.data;
    let next = this.nextByte;
    let available = this.available;
    let window = this.window;
    if (next + 4 <= data.length) {
      // Fast path: a refill reads at most four bytes, so with four left no end check is needed.
      while (available <= 24) {
        window |= data[next++] << (24 - available);
        available += 8;
      }
    } else {
      while (available <= 24) {
        window |= (next < data.length ? data[next] : 0) << (24 - available);
        next++;
        available += 8;
      }
    }
    this.window = window;
    this.nextByte = next;
    this.available = available;
  }
}
