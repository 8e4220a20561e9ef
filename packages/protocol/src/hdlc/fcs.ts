// HDLC frame check sequence (ISO/IEC 13239, as T.30 §5.3.7 uses it): CRC-16 x^16 + x^12 + x^5 + 1 over line-order octets.
//
// faxd holds frames MSB-first (the first bit on the line is bit 7 of the first octet), so the CRC runs
// non-reflected: polynomial 0x1021, initial value 0xFFFF, result complemented (the CRC-16/GENIBUS
// parameters, check value 0xD64E for "123456789"). It is the same FCS as CRC-16/X.25 (check 0x906E)
// computed over LSB-first octets; only the storage order differs. The FCS follows the frame high octet
// first, which puts the x^15 coefficient first on the line as HDLC requires.

const POLYNOMIAL = 0x1021;
const INITIAL = 0xffff;
/** Remainder left by running the CRC (without the final complement) over a frame and its correct FCS. */
const GOOD_RESIDUE = 0x1d0f;

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let octet = 0; octet < 256; octet++) {
    let crc = octet << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ POLYNOMIAL) & 0xffff : (crc << 1) & 0xffff;
    }
    table[octet] = crc;
  }
  return table;
}

function crcRegister(bytes: Uint8Array, start: number, end: number): number {
  let crc = INITIAL;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[i]) & 0xff];
  }
  return crc;
}

/** The 16-bit FCS of MSB-first `bytes` (already complemented, as transmitted). */
export function computeFcs(bytes: Uint8Array): number {
  return crcRegister(bytes, 0, bytes.length) ^ 0xffff;
}

/** `frame` followed by its two FCS octets, high octet first. */
export function appendFcs(frame: Uint8Array): Uint8Array {
  const fcs = computeFcs(frame);
  const out = new Uint8Array(frame.length + 2);
  out.set(frame);
  out[frame.length] = fcs >> 8;
  out[frame.length + 1] = fcs & 0xff;
  return out;
}

/** True when the last two octets of `frameWithFcs` are the correct FCS of the octets before them. */
export function checkFcs(frameWithFcs: Uint8Array): boolean {
  if (frameWithFcs.length < 2) return false;
  return crcRegister(frameWithFcs, 0, frameWithFcs.length) === GOOD_RESIDUE;
}
