// Test support: a minimal single-strip bilevel TIFF 6.0 writer and strip extractor for codec interop tests with libtiff.
import { concatBytes } from '../bits/concat-bytes.js';

/** TIFF Compression values used by fax images (TIFF 6.0 §3, §11). */
export const TIFF_NONE = 1;
export const TIFF_GROUP3 = 3;
export const TIFF_GROUP4 = 4;

export interface TinyTiff {
  width: number;
  height: number;
  compression: number;
  /** 1 = MSB first, 2 = LSB first. */
  fillOrder: number;
  /** Group3Options / T4Options: bit 0 = 2-D coding, bit 2 = fill bits before EOLs. */
  t4Options: number;
  /** 0 = WhiteIsZero (as BilevelPage), 1 = BlackIsZero. */
  photometric: number;
  /** The strip data, all strips concatenated. */
  data: Uint8Array;
}

/** One-strip little-endian TIFF holding `data` as is (WhiteIsZero, 204 x 196 dpi). */
export function writeTinyTiff(image: Omit<TinyTiff, 'photometric'>): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 4, image.width],
    [257, 4, image.height],
    [258, 3, 1],
    [259, 3, image.compression],
    [262, 3, 0],
    [266, 3, image.fillOrder],
    [273, 4, 0], // patched below: strip offset
    [277, 3, 1],
    [278, 4, image.height],
    [279, 4, image.data.length],
    [282, 5, 0], // patched: rational offset
    [283, 5, 0],
    [296, 3, 2],
  ];
  if (image.compression === TIFF_GROUP3) entries.push([292, 4, image.t4Options]);
  entries.sort((a, b) => a[0] - b[0]);
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationals = 8 + ifdSize;
  const stripOffset = rationals + 16;
  const out = new Uint8Array(stripOffset + image.data.length);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, 8, true);
  view.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    let stored = value;
    if (tag === 273) stored = stripOffset;
    if (tag === 282) stored = rationals;
    if (tag === 283) stored = rationals + 8;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, 1, true);
    if (type === 3) view.setUint16(at + 8, stored, true);
    else view.setUint32(at + 8, stored, true);
  });
  view.setUint32(rationals, 204, true);
  view.setUint32(rationals + 4, 1, true);
  view.setUint32(rationals + 8, 196, true);
  view.setUint32(rationals + 12, 1, true);
  out.set(image.data, stripOffset);
  return out;
}

/** Reads the first IFD of a bilevel TIFF (either byte order) and concatenates its strips. */
export function readTinyTiff(file: Uint8Array): TinyTiff {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const little = file[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const ifd = u32(4);
  const tags = new Map<number, number[]>();
  for (let i = 0; i < u16(ifd); i++) {
    const at = ifd + 2 + i * 12;
    const type = u16(at + 2);
    const count = u32(at + 4);
    const size = type === 3 ? 2 : 4;
    const base = count * size > 4 ? u32(at + 8) : at + 8;
    const values: number[] = [];
    for (let n = 0; n < count && (type === 3 || type === 4); n++) {
      values.push(type === 3 ? u16(base + n * 2) : u32(base + n * 4));
    }
    tags.set(u16(at), values);
  }
  const first = (tag: number, fallback: number) => tags.get(tag)?.[0] ?? fallback;
  const offsets = tags.get(273) ?? [];
  const counts = tags.get(279) ?? [];
  const parts = offsets.map((offset, i) => file.subarray(offset, offset + counts[i]));
  const data = concatBytes(parts);
  return {
    width: first(256, 0),
    height: first(257, 0),
    compression: first(259, 1),
    fillOrder: first(266, 1),
    t4Options: first(292, 0),
    photometric: first(262, 0),
    data,
  };
}
