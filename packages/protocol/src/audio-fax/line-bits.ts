// Octets to line bits and back for the audio front end (audio-fax reference §5): faxd holds frames and page data
// MSB-first, so the first bit on the line is bit 7 of the first octet and modems send each octet bit 7 → bit 0.

/** The bits of `octets`, one per element, bit 7 of each octet first. */
export function bitsOfOctets(octets: Uint8Array): Uint8Array {
  const bits = new Uint8Array(octets.length * 8);
  for (let i = 0; i < octets.length; i++) {
    const octet = octets[i]!;
    for (let b = 0; b < 8; b++) bits[i * 8 + b] = (octet >> (7 - b)) & 1;
  }
  return bits;
}

/** Packs received bits into octets MSB-first; a partial octet waits for the next bits or for `flush`. */
export class OctetPacker {
  #octets: number[] = [];
  #octet = 0;
  #count = 0;

  push(bits: Uint8Array): void {
    for (let i = 0; i < bits.length; i++) this.pushBit(bits[i]!);
  }

  pushBit(bit: number): void {
    this.#octet = (this.#octet << 1) | bit;
    if (++this.#count < 8) return;
    this.#octets.push(this.#octet);
    this.#octet = 0;
    this.#count = 0;
  }

  /** The whole octets packed since the last call. */
  take(): Uint8Array {
    const out = Uint8Array.from(this.#octets);
    this.#octets = [];
    return out;
  }

  /** Completes a partial octet with zero bits (T.4 fill, or more TCF zeros) and returns what is left. */
  flush(): Uint8Array {
    while (this.#count !== 0) this.pushBit(0);
    return this.take();
  }
}
