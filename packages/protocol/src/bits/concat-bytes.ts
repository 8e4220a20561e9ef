// concatBytes: the one helper that joins byte arrays end to end (frames, strips, chunks of a stream).

/** A new array holding `parts` one after another; views into larger buffers copy only the bytes they show. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
