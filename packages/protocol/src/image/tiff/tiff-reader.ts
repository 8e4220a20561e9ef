// TIFF reader for fax documents: bilevel pages coded raw, PackBits, T.4 or T.6 (TIFF 6.0 §8 and Section 11, RFC 2306).
import { concatBytes } from '../../bits/concat-bytes.js';
import { DecodeError } from '../../bits/decode-error.js';
import { reverseBits } from '../../bits/reverse-bits.js';
import { type Compression, decodePage, transcodePage } from '../codec.js';
import { type BilevelPage, pageFromRows } from '../page.js';
import { unpackBits } from './packbits.js';
import { readTiffIfds } from './tiff-ifd.js';
import { readPageInfo, type TiffPageInfo, type TiffStrip } from './tiff-page-info.js';
import type { TiffSource } from './tiff-source.js';
import { type CodedTiffPage, classFEncodeOptions } from './tiff-writer.js';

/**
 * Where a page's strips are read from: the whole file in memory, or a source read at offsets (readTiffSourceDocument).
 * A page decoded from a source may share the source's reused buffer: it is valid until the source's next read.
 */
export type TiffFile = Uint8Array | TiffSource;

/** A TIFF file's pages, described but not decoded; `data` is the whole file, for `readTiffStrips`/`decodeTiffPage`. */
export interface TiffDocument {
  readonly data: Uint8Array;
  readonly pages: readonly TiffPageInfo[];
}

/** One decoded page with the damage the decoder found (rows it could not decode). */
export interface TiffPage {
  readonly info: TiffPageInfo;
  readonly page: BilevelPage;
  readonly badRows: number;
  readonly consecutiveBadRows: number;
}

/** Parses every directory and checks each page is one we can decode; throws DecodeError otherwise. */
export function readTiffDocument(data: Uint8Array): TiffDocument {
  const { reader, ifds } = readTiffIfds(data);
  const pages = ifds.map((ifd, index) => {
    const info = readPageInfo(reader, ifd, index);
    for (const strip of info.strips) reader.require(strip.offset, strip.byteCount, `page ${index + 1} strip`);
    return info;
  });
  return { data, pages };
}

/**
 * Reads and decodes every page. Damaged coded rows are reported in `badRows`, not thrown. Uncompressed pages may
 * share memory with `data` rather than copy it.
 */
export function readTiff(data: Uint8Array): TiffPage[] {
  const document = readTiffDocument(data);
  return document.pages.map((info) => decodeTiffPage(document.data, info));
}

/**
 * The coded bytes of each strip of a page, most significant bit first whatever the FillOrder (a copy when it was 2).
 * A single-strip MMR page's one strip is a complete T.6 page, ready for a PDF CCITTFaxDecode stream.
 */
export function readTiffStrips(data: Uint8Array, info: TiffPageInfo): Uint8Array[] {
  return info.strips.map((strip) => stripBytes(data, strip, info.fillOrder));
}

/** Decodes one page described by `readTiffDocument`; an uncompressed page may share memory with `data`. */
export function decodeTiffPage(data: TiffFile, info: TiffPageInfo): TiffPage {
  // A source's buffer is reused by the next strip's read, so rows kept in place across strips must be copied first.
  const keep = info.strips.length > 1 && !(data instanceof Uint8Array);
  const strips = info.strips.map((strip) => {
    const decoded = decodeStrip(stripBytes(data, strip, info.fillOrder), info, strip.rows);
    return keep ? { ...decoded, rows: decoded.rows.slice() } : decoded;
  });
  // One strip (Class F's layout) already holds the whole page: use its rows as they are, without a copy.
  const page =
    strips.length === 1
      ? pageFromRows(info, strips[0].rows)
      : pageFromRows(info, concatBytes(strips.map((s) => s.rows)));
  if (info.photometric === 1) invert(page);
  return {
    info,
    page,
    badRows: strips.reduce((n, s) => n + s.badRows, 0),
    consecutiveBadRows: strips.reduce((n, s) => Math.max(n, s.consecutiveBadRows), 0),
  };
}

/** A page recoded for a Class F file, with the damage decoding found, as decodeTiffPage reports it. */
export interface TranscodedTiffPage {
  readonly info: TiffPageInfo;
  readonly page: CodedTiffPage;
  readonly badRows: number;
  readonly consecutiveBadRows: number;
}

/**
 * A T.4 or T.6 coded page recoded as `compression` without a bitmap between (codec transcodePage): the strip
 * codeTiffPage(decodeTiffPage(data, info).page) would write, at a fraction of the cost. Undefined for the pages
 * that need their bitmap: raw or PackBits rows, BlackIsZero pixels, several strips (each restarts the coding).
 */
export function transcodeTiffPage(
  data: TiffFile,
  info: TiffPageInfo,
  compression: Compression,
): TranscodedTiffPage | undefined {
  const { coding, width, height, xResolution, yResolution, strips } = info;
  if (coding === 'none' || coding === 'packbits' || info.photometric !== 0) return undefined;
  if (strips.length !== 1 || strips[0].rows !== height) return undefined;
  const coded = stripBytes(data, strips[0], info.fillOrder);
  const from = { compression: coding, width, height, yResolution };
  const recoded = transcodePage(coded, from, classFEncodeOptions(compression));
  return {
    info,
    page: { shape: { width, height, xResolution, yResolution }, strip: recoded.data, compression },
    badRows: recoded.badRows,
    consecutiveBadRows: recoded.consecutiveBadRows,
  };
}

function stripBytes(data: TiffFile, strip: TiffStrip, fillOrder: 1 | 2): Uint8Array {
  const inMemory = data instanceof Uint8Array;
  if (strip.offset + strip.byteCount > (inMemory ? data.length : data.size)) {
    throw new DecodeError(`strip of ${strip.byteCount} bytes runs past the end of the file`, strip.offset);
  }
  const end = strip.offset + strip.byteCount;
  const bytes = inMemory ? data.subarray(strip.offset, end) : data.read(strip.offset, strip.byteCount);
  return fillOrder === 2 ? reverseBits(bytes) : bytes;
}

interface DecodedStrip {
  rows: Uint8Array;
  badRows: number;
  consecutiveBadRows: number;
}

function decodeStrip(coded: Uint8Array, info: TiffPageInfo, rows: number): DecodedStrip {
  const stride = (info.width + 7) >> 3;
  if (info.coding === 'none' || info.coding === 'packbits') {
    // Raw rows that fill the strip and need no padding cleared already are the page: use them in place rather than
    // copy them. BlackIsZero pages get inverted below, so those still need a copy of their own.
    const size = rows * stride;
    if (info.coding === 'none' && coded.length >= size && info.width % 8 === 0 && info.photometric === 0) {
      return { rows: coded.subarray(0, size), badRows: 0, consecutiveBadRows: 0 };
    }
    const out = new Uint8Array(size);
    const produced = info.coding === 'none' ? copyInto(coded, out) : unpackBits(coded, out);
    // A short strip leaves whole rows white: those are the damage, reported like a codec's bad rows.
    const missing = rows - Math.floor(produced / stride);
    clearPadding(out, info.width, stride);
    return { rows: out, badRows: missing, consecutiveBadRows: missing };
  }
  // Each strip is coded on its own (TIFF 6.0 Section 11): T.6 restarts from an imaginary white reference line.
  const decoded = decodePage(coded, {
    compression: info.coding,
    width: info.width,
    height: rows,
    xResolution: info.xResolution,
    yResolution: info.yResolution,
  });
  const missing = Math.max(0, rows - decoded.page.height);
  let out = decoded.page.data;
  if (out.length !== rows * stride) {
    out = new Uint8Array(rows * stride);
    out.set(decoded.page.data.subarray(0, out.length));
  }
  return {
    rows: out,
    badRows: decoded.badRows + missing,
    consecutiveBadRows: Math.max(decoded.consecutiveBadRows, missing),
  };
}

function copyInto(source: Uint8Array, out: Uint8Array): number {
  const count = Math.min(source.length, out.length);
  out.set(source.subarray(0, count));
  return count;
}

/** Zeroes the bits past the last pixel of each row, as BilevelPage requires. */
function clearPadding(data: Uint8Array, width: number, stride: number): void {
  const spare = stride * 8 - width;
  if (spare === 0) return;
  const mask = (0xff << spare) & 0xff;
  for (let at = stride - 1; at < data.length; at += stride) data[at] = (data[at] as number) & mask;
}

/** BlackIsZero pages: flip every pixel so 1 means black, then restore zero padding. */
function invert(page: BilevelPage): void {
  const data = page.data;
  for (let i = 0; i < data.length; i++) data[i] = ~(data[i] as number) & 0xff;
  clearPadding(data, page.width, page.stride);
}
