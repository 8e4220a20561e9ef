// Bit order conversion for fax image data stored least significant bit first (TIFF FillOrder = 2).
import { reverseOctets } from '../hdlc/bit-order.js';

/** A copy of `bytes` with each byte's bit order reversed: turns FillOrder=2 coded data into the MSB-first order the codec reads. */
export function reverseBits(bytes: Uint8Array): Uint8Array {
  return reverseOctets(bytes);
}
