// Changing elements (T.4 §4.2.1.3.1): the pixel positions in a row where the colour differs from the pixel before.

/**
 * A view for reading and writing packed rows 32 pixels at a time. Its big-endian words put the leftmost pixel in the
 * top bit, where Math.clz32 finds it, and a DataView needs no alignment, so any page or row works without a copy.
 */
export function pageView(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Fills `out` with the changing elements of the packed row at byte `offset` (imaginary white pixel before the row)
 * and appends `width` four times as sentinels; returns the number of real changing elements. Even indices are
 * white-to-black changes, odd indices black-to-white. `out` needs width + 5 entries.
 */
export function findChangingElements(view: DataView, offset: number, width: number, out: Int32Array): number {
  let count = 0;
  // XOR with `colour` (0 in a white run, all ones in a black one) leaves 1 bits exactly where a pixel differs from
  // the run so far, so a word that comes out zero continues the run through all its 32 pixels: most words of a page,
  // which the inner loop steps over with one load and one comparison each.
  let colour = 0;
  const whole = width & ~31;
  let base = 0;
  for (;;) {
    let bits = 0;
    while (base < whole) {
      bits = view.getInt32(offset + (base >> 3)) ^ colour;
      if (bits !== 0) break;
      base += 32;
    }
    if (base >= whole) break;
    do {
      const bit = Math.clz32(bits);
      out[count++] = base + bit;
      colour = ~colour;
      // Against the new colour every pixel flips; the ones up to the change just found are done with.
      bits = ~bits & (-1 >>> bit);
    } while (bits !== 0);
    base += 32;
  }
  if (whole < width) {
    let bits = lastWord(view, offset + (whole >> 3), width - whole) ^ colour;
    while (bits !== 0) {
      const bit = Math.clz32(bits);
      if (whole + bit >= width) break; // only the zero padding after a black run looked different
      out[count++] = whole + bit;
      colour = ~colour;
      bits = ~bits & (-1 >>> bit);
    }
  }
  out[count] = width;
  out[count + 1] = width;
  out[count + 2] = width;
  out[count + 3] = width;
  return count;
}

/** The row's last `pixels` (1..31) pixels, top bit first, zero after them: never reads past the row. */
function lastWord(view: DataView, at: number, pixels: number): number {
  let word = 0;
  for (let byte = 0; byte << 3 < pixels; byte++) word |= view.getUint8(at + byte) << (24 - (byte << 3));
  return word;
}

/**
 * Bytes past a row's end that painting may read and write back unchanged: `paintChangingElements` reaches 3,
 * `paintWords` 7 (a run's next word, from a row end short of a word boundary).
 */
export const PAINT_SLACK = 8;

/**
 * Paints the black runs described by `count` changing elements (with the `width` sentinel after them, as the
 * decoders leave it) into a zeroed packed row at byte `offset` of `view`/`data`, two views of the same memory.
 * The memory must extend PAINT_SLACK bytes past the row.
 */
export function paintChangingElements(
  changes: Int32Array,
  count: number,
  view: DataView,
  data: Uint8Array,
  offset: number,
): void {
  for (let i = 0; i < count; i += 2) {
    const start = changes[i];
    const length = changes[i + 1] - start;
    const at = offset + (start >> 3);
    const skip = start & 7;
    // Most black runs are short: one 32-bit read-modify-write covers any run of up to 24 pixels from its first
    // byte, without branching on where the bytes end. Bytes after the run are ORed with zero, so stay as they were.
    if (length <= 24) {
      view.setUint32(at, view.getUint32(at) | ((-1 >>> skip) ^ (-1 >>> (skip + length))));
    } else {
      const last = offset + ((start + length - 1) >> 3);
      data[at] |= 0xff >> skip;
      data.fill(0xff, at + 1, last);
      data[last] |= 0xff << (7 - ((start + length - 1) & 7));
    }
  }
}

/**
 * Word masks in memory order (the page's bytes seen through an Int32Array, whatever the platform's endianness),
 * indexed by pixel position within a 32-pixel word: FROM[s] covers pixels s..31, UPTO[e] pixels 0..e-1 (all 32 for
 * e >= 32), SPILL[e] the first e - 32 pixels of the next word (none for e <= 32). A run of up to 32 pixels from
 * pixel s of a word is FROM[s] & UPTO[s + length] there and SPILL[s + length] in the next one.
 */
const FROM = new Int32Array(32);
const UPTO = new Int32Array(64);
const SPILL = new Int32Array(64);
{
  const word = new DataView(new ArrayBuffer(4));
  const native = new Int32Array(word.buffer);
  const inMemoryOrder = (bigEndian: number): number => {
    word.setInt32(0, bigEndian);
    return native[0];
  };
  for (let bit = 0; bit < 32; bit++) FROM[bit] = inMemoryOrder(-1 >>> bit);
  for (let end = 0; end < 64; end++) {
    UPTO[end] = end >= 32 ? -1 : inMemoryOrder(~(-1 >>> end));
    SPILL[end] = end <= 32 ? 0 : inMemoryOrder(~(-1 >>> (end - 32)));
  }
}

/**
 * As paintChangingElements, for rows that start on a 32-bit boundary: `words` views the page, the row begins at
 * word `base`. Every black run is ORed into whole aligned words: a run of up to 32 pixels into the word it starts
 * in and the next (with an empty mask when it ends in the first), with no branch on where it ends, and a load never
 * straddles an earlier store, which the byte-aligned read-modify-write does for neighbouring runs and the CPU then
 * cannot forward. The memory must extend PAINT_SLACK bytes past the row.
 */
export function paintWords(changes: Int32Array, count: number, words: Int32Array, base: number): void {
  const from = FROM;
  const upTo = UPTO;
  const spill = SPILL;
  for (let i = 0; i < count; i += 2) {
    const start = changes[i];
    const end = changes[i + 1];
    const at = base + (start >> 5);
    const bit = start & 31;
    const last = bit + end - start; // the run's end, counted from the start of its first word
    if (last < 64) {
      words[at] |= from[bit] & upTo[last];
      words[at + 1] |= spill[last];
    } else {
      words[at] |= from[bit];
      const final = base + ((end - 1) >> 5);
      for (let k = at + 1; k < final; k++) words[k] = -1;
      words[final] |= upTo[((end - 1) & 31) + 1];
    }
  }
}
