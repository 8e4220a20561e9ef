// ByteWriter: a growable little-endian byte buffer for building TIFF and PDF files (TIFF 6.0 §2 "II" byte order).

/** Appends bytes and little-endian integers. */
export class ByteWriter {
  private buffer: Uint8Array;
  private size = 0;

  /** `capacity` is a first guess at the final size: small values (a TIFF field) need not allocate a page's worth. */
  constructor(capacity = 4096) {
    this.buffer = new Uint8Array(Math.max(capacity, 8));
  }

  get length(): number {
    return this.size;
  }

  private reserve(count: number): void {
    if (this.size + count <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.size + count) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.size);
    this.size += data.length;
  }

  /** Appends text as Latin-1 bytes (TIFF ASCII and PDF syntax are both 8-bit). */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.size++] = text.charCodeAt(i) & 0xff;
  }

  uint8(value: number): void {
    this.reserve(1);
    this.buffer[this.size++] = value & 0xff;
  }

  uint16(value: number): void {
    this.uint8(value);
    this.uint8(value >>> 8);
  }

  uint32(value: number): void {
    this.uint16(value & 0xffff);
    this.uint16(Math.floor(value / 0x10000));
  }

  /** Pads with zero bytes up to the next multiple of `alignment`. */
  align(alignment: number): void {
    while (this.size % alignment !== 0) this.uint8(0);
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
