// Octet bit reversal between the two storage orders of HDLC octets: T.30 §5.3 sends each octet least significant bit
// first, while T.38 IFP carries it most significant bit first.

const REVERSED = buildReversedTable();

function buildReversedTable(): Uint8Array {
  const table = new Uint8Array(256);
  for (let value = 0; value < 256; value++) {
    let reversed = 0;
    for (let bit = 0; bit < 8; bit++) {
      if (value & (1 << bit)) reversed |= 0x80 >> bit;
    }
    table[value] = reversed;
  }
  return table;
}

/** The octet with its bit order reversed (bit 0 <-> bit 7, ...). */
export function reverseOctet(octet: number): number {
  return REVERSED[octet & 0xff];
}

/** A copy of `bytes` with every octet bit-reversed: converts between MSB-first and LSB-first frame storage. */
export function reverseOctets(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = REVERSED[bytes[i]];
  return out;
}
