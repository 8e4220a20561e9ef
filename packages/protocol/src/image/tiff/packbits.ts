// PackBits run-length decoding (TIFF 6.0 Section 9), the byte-oriented compression common in bilevel TIFF files.

/**
 * Unpacks `data` into `out`, stopping when `out` is full or the data ends; returns the number of bytes produced.
 * A short result means the data was truncated: the caller treats the unfilled rows as bad, not as an error.
 */
export function unpackBits(data: Uint8Array, out: Uint8Array): number {
  let produced = 0;
  let at = 0;
  while (produced < out.length && at < data.length) {
    const header = data[at++] as number;
    if (header < 128) {
      // header + 1 literal bytes follow.
      const count = Math.min(header + 1, data.length - at, out.length - produced);
      out.set(data.subarray(at, at + count), produced);
      produced += count;
      at += header + 1;
    } else if (header > 128) {
      // The next byte repeated 257 - header times; 128 is a no-op.
      if (at >= data.length) break;
      const value = data[at++] as number;
      const count = Math.min(257 - header, out.length - produced);
      out.fill(value, produced, produced + count);
      produced += count;
    }
  }
  return produced;
}
