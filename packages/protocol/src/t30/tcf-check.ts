// The receiver's training check on TCF, 1.5 s of zeros at the new image rate (T.30 TCF).
//
// T.30 does not fix the criterion. faxd answers CFR when the longest run of zero bits lasts at least one second at
// the negotiated rate, which tolerates a late start or a damaged tail but not errors spread through the signal.

/** What the check saw, reported with the CFR/FTT decision. */
export interface TcfResult {
  readonly ok: boolean;
  readonly bits: number;
  readonly errorBits: number;
  readonly longestZeroRun: number;
}

/** Seconds of unbroken zeros needed, as a fraction of the 1.5 s sent. */
const REQUIRED_ZERO_SECONDS = 1;

function leadingZeros(octet: number): number {
  return Math.clz32(octet) - 24;
}

function trailingZeros(octet: number): number {
  return 31 - Math.clz32(octet & -octet);
}

function popCount(octet: number): number {
  let count = 0;
  for (let v = octet; v !== 0; v &= v - 1) count++;
  return count;
}

/** Accumulates TCF octets (MSB-first, as the front end delivers image data) and judges them. */
export class TcfCheck {
  #bits = 0;
  #errorBits = 0;
  #run = 0;
  #longest = 0;

  add(chunk: Uint8Array): void {
    for (const octet of chunk) {
      this.#bits += 8;
      if (octet === 0) {
        this.#run += 8;
        continue;
      }
      this.#errorBits += popCount(octet);
      this.#longest = Math.max(this.#longest, this.#run + leadingZeros(octet));
      this.#run = trailingZeros(octet);
    }
    this.#longest = Math.max(this.#longest, this.#run);
  }

  result(bitRate: number): TcfResult {
    return {
      ok: this.#longest >= bitRate * REQUIRED_ZERO_SECONDS,
      bits: this.#bits,
      errorBits: this.#errorBits,
      longestZeroRun: this.#longest,
    };
  }
}
