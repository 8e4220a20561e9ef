/** A first-in first-out queue of bits, one per byte, that grows only when bits are queued, never when they are taken. */
export class BitQueue {
  private buffer = new Uint8Array(4096);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(bits: Uint8Array): void {
    if (this.tail + bits.length > this.buffer.length) {
      const pending = this.tail - this.head;
      if (2 * (pending + bits.length) > this.buffer.length) {
        const grown = new Uint8Array(2 * (pending + bits.length));
        grown.set(this.buffer.subarray(this.head, this.tail));
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.head, this.tail);
      }
      this.head = 0;
      this.tail = pending;
    }
    this.buffer.set(bits, this.tail);
    this.tail += bits.length;
  }

  clear(): void {
    this.head = 0;
    this.tail = 0;
  }

  /** The next bit (0 or 1); only call while `length` > 0. */
  shift(): number {
    return this.buffer[this.head++]! & 1;
  }
}
