// Reading and writing a DIS/DTC/DCS-style field as numbered bits with extend bits (T.30 Table 2 and its notes).
//
// The field is at least three octets; from the third octet on, the last bit of each octet (bits 24, 32, 40, ...)
// says whether another octet follows, so the field ends at the first such octet whose extend bit is 0.

import { DecodeError } from '../../bits/decode-error.js';

const MIN_OCTETS = 3;

function isExtendBit(bit: number): boolean {
  return bit >= 24 && bit % 8 === 0;
}

/** Set bits of a field, consumed by name as a decoder interprets them; what is left over is kept verbatim. */
export class FifBitReader {
  readonly #bits = new Set<number>();
  readonly length: number;

  constructor(fif: Uint8Array, what: string) {
    if (fif.length < MIN_OCTETS) throw new DecodeError(`${what} field needs at least ${MIN_OCTETS} octets`, fif.length);
    let length = fif.length;
    for (let i = MIN_OCTETS - 1; i < fif.length; i++) {
      if ((fif[i] & 0x01) === 0) {
        length = i + 1;
        break;
      }
    }
    this.length = length;
    for (let bit = 1; bit <= length * 8; bit++) {
      if (!isExtendBit(bit) && fif[(bit - 1) >> 3] & (0x80 >> ((bit - 1) & 7))) this.#bits.add(bit);
    }
  }

  /** Whether `bit` is set; marks it as understood. */
  take(bit: number): boolean {
    return this.#bits.delete(bit);
  }

  /** Whether `bit` is set, without marking it understood. */
  peek(bit: number): boolean {
    return this.#bits.has(bit);
  }

  /** The value of bits first..first+count-1 (lowest-numbered bit least significant), without marking them. */
  peekField(field: { readonly bit: number; readonly count: number }): number {
    let value = 0;
    for (let i = 0; i < field.count; i++) if (this.#bits.has(field.bit + i)) value |= 1 << i;
    return value;
  }

  /** Marks the bits of `field` understood. */
  takeField(field: { readonly bit: number; readonly count: number }): void {
    for (let i = 0; i < field.count; i++) this.#bits.delete(field.bit + i);
  }

  /** Bits set but not taken, ascending. */
  remaining(): number[] {
    return [...this.#bits].sort((a, b) => a - b);
  }
}

/** Collects set bits and lays them out as a field with the extend bits filled in. */
export class FifBitWriter {
  readonly #bits = new Set<number>();

  set(bit: number, on = true): void {
    if (!Number.isInteger(bit) || bit < 1) throw new Error(`not a T.30 field bit number: ${bit}`);
    if (on && !isExtendBit(bit)) this.#bits.add(bit);
  }

  setField(field: { readonly bit: number; readonly count: number }, value: number): void {
    for (let i = 0; i < field.count; i++) this.set(field.bit + i, (value & (1 << i)) !== 0);
  }

  /** The field, at least `minLength` octets and long enough for every set bit. */
  encode(minLength = MIN_OCTETS): Uint8Array {
    const highest = Math.max(0, ...this.#bits);
    const length = Math.max(MIN_OCTETS, minLength, Math.ceil(highest / 8));
    const out = new Uint8Array(length);
    for (const bit of this.#bits) out[(bit - 1) >> 3] |= 0x80 >> ((bit - 1) & 7);
    for (let i = MIN_OCTETS - 1; i < length - 1; i++) out[i] |= 0x01;
    return out;
  }
}
