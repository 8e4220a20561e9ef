// Changing elements (T.4 §4.2.1.3.1): the pixel positions in a row where the colour differs from the pixel before.

/** Page bytes with a 32-bit view of the same memory (word i = bytes 4i..4i+3), for `findChangingElements`. */
export interface ScanBuffer {
  bytes: Uint8Array;
  words: Uint32Array;
}

/** Views `data` as words too; a Uint32Array must start on a 4-byte boundary, so an unaligned page is copied once. */
export function scanBuffer(data: Uint8Array): ScanBuffer {
  const bytes = data.byteOffset % 4 === 0 ? data : data.slice();
  return { bytes, words: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2) };
}

/**
 * Fills `out` with the changing elements of one packed row (imaginary white pixel before the row) and appends
 * `width` four times as sentinels; returns the number of real changing elements. Even indices are white-to-black
 * changes, odd indices black-to-white. `out` needs width + 5 entries.
 */
export function findChangingElements(scan: ScanBuffer, offset: number, width: number, out: Int32Array): number {
  const { bytes: data, words } = scan;
  const end = offset + ((width + 7) >> 3);
  let count = 0;
  let index = offset;
  let bits = data[offset];
  for (;;) {
    // Find the next black pixel: skip white (0x00) bytes whole, and aligned all-white 32-bit words in one load each
    // (a word is zero in either byte order), since most of a fax page is white.
    while (bits === 0) {
      if (++index === end) return finish(out, count, width);
      if ((index & 3) === 0) {
        while (index + 4 <= end && words[index >> 2] === 0) index += 4;
        if (index === end) return finish(out, count, width);
      }
      bits = data[index];
    }
    let position = ((index - offset) << 3) + Math.clz32(bits) - 24;
    out[count++] = position;
    // Find the next white pixel at or after it: invert, clear the bits already passed, skip black (0xff) bytes whole.
    bits = ~data[index] & (0xff >> (position & 7));
    while (bits === 0) {
      if (++index === end) return finish(out, count, width);
      bits = ~data[index] & 0xff;
    }
    position = ((index - offset) << 3) + Math.clz32(bits) - 24;
    if (position >= width) return finish(out, count, width); // only the zero padding bits looked white
    out[count++] = position;
    bits = data[index] & (0xff >> (position & 7));
  }
}

function finish(out: Int32Array, count: number, width: number): number {
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}

/** Paints the black runs described by `count` changing elements into a zeroed packed row. */
export function paintChangingElements(
  changes: Int32Array,
  count: number,
  width: number,
  data: Uint8Array,
  offset: number,
): void {
  for (let i = 0; i < count; i += 2) {
    const start = changes[i];
    const stop = i + 1 < count ? changes[i + 1] : width;
    if (stop > start) paintSpan(data, offset, start, stop);
  }
}

/** Sets pixels start..stop-1 (stop > start) of a row to black, a byte at a time where it can. */
function paintSpan(data: Uint8Array, offset: number, start: number, stop: number): void {
  const first = offset + (start >> 3);
  const last = offset + ((stop - 1) >> 3);
  const head = 0xff >> (start & 7);
  const tail = (0xff00 >> (((stop - 1) & 7) + 1)) & 0xff;
  if (first === last) {
    data[first] |= head & tail;
    return;
  }
  data[first] |= head;
  // Short spans are cheaper to loop over than to hand to fill().
  if (last - first > 16) data.fill(0xff, first + 1, last);
  else for (let i = first + 1; i < last; i++) data[i] = 0xff;
  data[last] |= tail;
}
