// ByteWriter: a growable little-endian byte buffer for building TIFF and PDF files (TIFF 6.0 §2 "II" byte order).

/** Appends bytes and little-endian integers, and patches values at earlier offsets. */
export class ByteWriter {
  private buffer = new Uint8Array(4096);
  private size = 0;

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

  /** Overwrites a 32-bit little-endian value written earlier. */
  patchUint32(offset: number, value: number): void {
    this.buffer[offset] = value & 0xff;
    this.buffer[offset + 1] = (value >>> 8) & 0xff;
    this.buffer[offset + 2] = (value >>> 16) & 0xff;
    this.buffer[offset + 3] = (value >>> 24) & 0xff;
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
