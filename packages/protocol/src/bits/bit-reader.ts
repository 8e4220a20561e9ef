// BitReader: MSB-first bit reader over T.4/T.6 coded data, shaped for table-driven decoding in tight loops.

/**
 * Reads bits most significant first. The whole state is one number, `position`, so row decoders copy it into a
 * local, read `words` directly, and store it back once per row. Past the end of the data it supplies
 * zero bits, and zeros never form a valid fax code: a row decoder that runs out of data fails at its next code
 * without checking the position code by code, and page decoders compare `position` with `totalBits` once per row.
 */
export class BitReader {
  readonly data: Uint8Array;
  /** The data followed by zero bytes, so reads stay in bounds up to 12 bits past `totalBits` (see PADDING). */
  readonly bytes: Uint8Array;
  /**
   * `bytes` read 32 bits at a time: `words.getInt32(position >> 3) << (position & 7)` holds the bits from `position`
   * on in its top bits, 25 of them at least, so any fax code (13 bits at most). One unaligned big-endian load and a
   * shift, with no branch and no per-byte bounds checks: the row decoders read every code so, written out in their
   * loops (a call to an imported helper costs V8 a check of the binding per call). Valid for every position up to
   * 12 bits past `totalBits`.
   */
  readonly words: DataView;
  readonly totalBits: number;
  /** Bits consumed so far (may exceed totalBits once reading ran past the end). */
  position = 0;

  constructor(data: Uint8Array) {
    this.data = data;
    this.totalBits = data.length * 8;
    this.bytes = new Uint8Array(data.length + PADDING);
    this.bytes.set(data);
    this.words = new DataView(this.bytes.buffer);
  }

  get atEnd(): boolean {
    return this.position >= this.totalBits;
  }

  /** The next `count` bits (1..25) as an unsigned number, without consuming them. */
  peek(count: number): number {
    const position = this.position;
    // Beyond the padding every bit is zero anyway; clamping keeps the read in bounds however far a caller skipped.
    if (position > this.totalBits) return 0;
    return (this.words.getInt32(position >> 3) << (position & 7)) >>> (32 - count);
  }

  /** Consumes `count` bits. */
  skip(count: number): void {
    this.position += count;
  }

  /** Moves to an absolute bit position (used to rescan a damaged row for the EOL that ends it). */
  seek(bit: number): void {
    this.position = bit;
  }

  /** Consumes zero bits up to the next 1 bit (or the end of data) and returns how many were skipped. */
  skipZeros(): number {
    const start = this.position;
    const bytes = this.bytes;
    let position = start;
    while (position < this.totalBits) {
      const bits = peekBits(bytes, position, 16);
      if (bits !== 0) {
        position += Math.clz32(bits) - 16;
        break;
      }
      position += 16;
    }
    this.position = Math.min(position, Math.max(start, this.totalBits));
    return this.position - start;
  }

  /** True when every bit from the current position to the end of data is zero (trailing fill). */
  onlyZerosLeft(): boolean {
    const position = this.position;
    if (position >= this.totalBits) return true;
    const data = this.data;
    let index = position >> 3;
    if ((data[index] & (0xff >> (position & 7))) !== 0) return false;
    for (index++; index < data.length; index++) if (data[index] !== 0) return false;
    return true;
  }
}

/**
 * Zero bytes after the data. A code that begins inside the data ends at most 12 bits past it (the longest run
 * code is 13 bits), and the read a decoder makes there, which sees only zeros and fails, starts in the second
 * padding byte: a read of `words` touches the three after it, `peekBits` two.
 */
const PADDING = 5;

/**
 * The `count` (1..17) bits of `bytes` starting at bit `position`, MSB first. `bytes` must extend at least three bytes
 * past `position >> 3` (a BitReader's `bytes` do for every position up to 12 bits past its `totalBits`).
 */
export function peekBits(bytes: Uint8Array, position: number, count: number): number {
  const index = position >> 3;
  const window = (bytes[index] << 16) | (bytes[index + 1] << 8) | bytes[index + 2];
  return (window >>> (24 - count - (position & 7))) & ((1 << count) - 1);
}
