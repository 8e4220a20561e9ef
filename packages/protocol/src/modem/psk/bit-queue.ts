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

  /** The next `count` bits as one number, the first most significant; 1s stand in for any the queue lacks. */
  take(count: number): number {
    const buffer = this.buffer;
    let head = this.head;
    const available = this.tail - head;
    let value = 0;
    for (let i = 0; i < count; i++) value = (value << 1) | (i < available ? buffer[head++]! & 1 : 1);
    this.head = head;
    return value;
  }
}
