// Aligned-PER pieces shared by IFP and UDPTL: unconstrained length determinants and open types (X.691 §10.9, §10.2).
import { DecodeError } from './decode-error.js';

/** Largest length the one- and two-octet determinant forms carry; longer values need fragmentation, which T.38 never uses. */
export const MAX_UNFRAGMENTED_LENGTH = 0x3fff;

/** A bounds-checked cursor over received octets; every overrun becomes a `DecodeError` at the failing offset. */
export class PerReader {
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  octet(what: string): number {
    if (this.offset >= this.bytes.length) throw new DecodeError(`truncated ${what}`, this.offset);
    return this.bytes[this.offset++] as number;
  }

  octets(count: number, what: string): Uint8Array {
    if (count > this.remaining)
      throw new DecodeError(`${what} needs ${count} octets, ${this.remaining} left`, this.offset);
    const out = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** X.691 §10.9.3.6–10.9.3.7: 0xxxxxxx is 0–127, 10xxxxxx xxxxxxxx is 0–16383, 11xxxxxx starts a fragment. */
  lengthDeterminant(what: string): number {
    const first = this.octet(what);
    if ((first & 0x80) === 0) return first;
    if ((first & 0x40) === 0) return ((first & 0x3f) << 8) | this.octet(what);
    throw new DecodeError(`fragmented ${what} is not supported`, this.offset - 1);
  }

  openType(what: string): Uint8Array {
    return this.octets(this.lengthDeterminant(what), what);
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0)
      throw new DecodeError(`${this.remaining} octets after the end of the ${what}`, this.offset);
  }
}

/** Appends encoded octets to a growing array; callers turn it into one `Uint8Array` at the end. */
export class PerWriter {
  readonly octets: number[] = [];

  octet(value: number): void {
    this.octets.push(value & 0xff);
  }

  bytes(data: Uint8Array): void {
    for (const byte of data) this.octets.push(byte);
  }

  lengthDeterminant(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > MAX_UNFRAGMENTED_LENGTH) {
      throw new RangeError(`length ${length} is outside 0..${MAX_UNFRAGMENTED_LENGTH}`);
    }
    if (length < 0x80) this.octet(length);
    else {
      this.octet(0x80 | (length >> 8));
      this.octet(length);
    }
  }

  openType(data: Uint8Array): void {
    this.lengthDeterminant(data.length);
    this.bytes(data);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.octets);
  }
}

/** Encoded size of a length determinant for `length`. */
export function lengthDeterminantSize(length: number): number {
  return length < 0x80 ? 1 : 2;
}
