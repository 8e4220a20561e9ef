// ByteReader: bounds-checked random access to 16- and 32-bit integers in either byte order (TIFF 6.0 §2 header byte order).
import { DecodeError } from './decode-error.js';

/** Reads unsigned integers at absolute offsets; any read past the end throws DecodeError naming what was being read. */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.bytes = bytes;
    this.littleEndian = littleEndian;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless `count` bytes starting at `offset` lie inside the data. */
  require(offset: number, count: number, what: string): void {
    requireInside(offset, count, this.bytes.length, what);
  }

  uint8(offset: number, what: string): number {
    this.require(offset, 1, what);
    return this.bytes[offset] as number;
  }

  uint16(offset: number, what: string): number {
    this.require(offset, 2, what);
    const a = this.bytes[offset] as number;
    const b = this.bytes[offset + 1] as number;
    return this.littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  uint32(offset: number, what: string): number {
    this.require(offset, 4, what);
    const lo = this.uint16(offset + (this.littleEndian ? 0 : 2), what);
    const hi = this.uint16(offset + (this.littleEndian ? 2 : 0), what);
    return hi * 0x10000 + lo;
  }

  /** A view of `count` bytes at `offset`, without copying. */
  slice(offset: number, count: number, what: string): Uint8Array {
    this.require(offset, count, what);
    return this.bytes.subarray(offset, offset + count);
  }
}

/** Throws DecodeError unless `count` bytes starting at `offset` lie inside data of `length` bytes. */
export function requireInside(offset: number, count: number, length: number, what: string): void {
  if (offset < 0 || count < 0 || offset + count > length) {
    throw new DecodeError(`${what}: ${count} bytes at ${offset} run past the end of the ${length}-byte data`, offset);
  }
}
