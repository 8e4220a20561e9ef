// TIFF Class F writer: multipage, little-endian, one strip per page, T.4 or T.6 coded (RFC 2306 §2, TIFF 6.0 Section 11).

import { ByteWriter } from '../../bits/byte-writer.js';
import { concatBytes } from '../../bits/concat-bytes.js';
import { reverseBits } from '../../bits/reverse-bits.js';
import { type Compression, type EncodeOptions, encodePage } from '../codec.js';
import type { BilevelPage, PageShape } from '../page.js';
import { T4_FILL_BITS, T4_TWO_DIMENSIONAL, TiffCompression, TiffTag, TiffType } from './tiff-tags.js';

/** How pages are coded: T.4 MH or MR, T.6 MMR, or raw bits (not Class F; for tools that want plain bilevel TIFF). */
export type TiffWriteCompression = 'mh' | 'mr' | 'mmr' | 'none';

export interface TiffWriteOptions {
  compression: TiffWriteCompression;
  /** 1 (default): most significant bit first; 2: least significant bit first, as many fax modems deliver it. */
  fillOrder?: 1 | 2;
  /** 0 (default, Class F): 1 = black. 1: store pixels inverted (BlackIsZero); only with compression 'none'. */
  photometric?: 0 | 1;
  software?: string;
  /** "YYYY:MM:DD HH:MM:SS"; supplied by the caller, protocol code has no clock. */
  dateTime?: string;
  imageDescription?: string;
}

/** Reception quality of one page (RFC 2306 §2.2.2), written when the caller knows it. */
export interface TiffPageQuality {
  badFaxLines: number;
  /** 0 clean, 1 regenerated (bad lines replaced), 2 unclean (bad lines left as received). */
  cleanFaxData: 0 | 1 | 2;
  consecutiveBadFaxLines: number;
}

export interface TiffWritePage {
  page: BilevelPage;
  quality?: TiffPageQuality;
}

/**
 * A page coded ahead of the file (`codeTiffPage`), so that its bitmap can be let go as soon as it is coded: a long
 * document then holds its pages' codes, a few tens of kilobytes each, instead of their bitmaps.
 */
export interface CodedTiffPage {
  readonly shape: PageShape;
  /** The page's one strip, most significant bit first, coded as `compression`. */
  readonly strip: Uint8Array;
  readonly compression: TiffWriteCompression;
  /** Damage the receiver found on the page, for the file's Class F quality fields. */
  readonly quality?: TiffPageQuality;
}

/** Codes `page` as writeTiffClassF would with `options`, to be written later. */
export function codeTiffPage(page: BilevelPage, options: TiffWriteOptions): CodedTiffPage {
  const { width, height, xResolution, yResolution } = page;
  return {
    shape: { width, height, xResolution, yResolution },
    strip: codePage(page, options),
    compression: options.compression,
  };
}

interface Field {
  tag: number;
  type: number;
  values: number[] | string;
}

/** Encodes the pages and lays them out as a TIFF Class F file. */
export function writeTiffClassF(
  pages: readonly (BilevelPage | TiffWritePage | CodedTiffPage)[],
  options: TiffWriteOptions,
): Uint8Array {
  if (pages.length === 0) throw new RangeError('a TIFF file needs at least one page');
  // The file is laid out as a list of parts joined once at the end: strips are large, so each is copied only once.
  const writer = new TiffClassFWriter(options, pages.length);
  return concatBytes(pages.flatMap((page) => writer.addPage(page)));
}

/** Bytes to write at `offset` of a file already written, to complete it. */
export interface TiffPatch {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * Lays out a Class F file page by page, so a long document can go to its file as each page is coded (`fax convert`)
 * instead of being held whole. Without the page count up front, each IFD is written linking to the word after its
 * strip and with a page count of 0 in PageNumber; `finish` then returns the few bytes to overwrite: the count in
 * every PageNumber and the last IFD's link, which must be 0 (TIFF 6.0 §2).
 */
export class TiffClassFWriter {
  private readonly options: TiffWriteOptions;
  private readonly pageCount: number | undefined;
  /** Bytes laid out so far: where the next IFD starts. */
  private offset = 0;
  /** File offsets of each page's PageNumber page count (its second SHORT), for `finish`. */
  private readonly pageCountOffsets: number[] = [];
  private lastNextOffset = 0;

  /** `pageCount`, when known, is written as it is, and `finish` then has nothing to patch. */
  constructor(options: TiffWriteOptions, pageCount?: number) {
    if (options.dateTime !== undefined && !/^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/.test(options.dateTime)) {
      throw new RangeError(`DateTime ${JSON.stringify(options.dateTime)} is not "YYYY:MM:DD HH:MM:SS" (TIFF 6.0 §8)`);
    }
    if (options.photometric === 1 && options.compression !== 'none') {
      throw new RangeError('BlackIsZero is only written with compression none');
    }
    this.options = options;
    this.pageCount = pageCount;
  }

  /** The bytes of the next page, to append to the file in order: its IFD, strip and padding (the header first). */
  addPage(item: BilevelPage | TiffWritePage | CodedTiffPage): Uint8Array[] {
    const { options } = this;
    const index = this.pageCountOffsets.length;
    const parts: Uint8Array[] = [];
    if (index === 0) {
      const header = new ByteWriter(8);
      header.ascii('II');
      header.uint16(42);
      header.uint32(8); // the first IFD follows the header
      parts.push(header.toBytes());
      this.offset = 8;
    }
    const { page, quality, strip: coded } = writtenPage(item, options);
    const strip = options.fillOrder === 2 ? reverseBits(coded) : coded;
    // Each IFD precedes its strip, so a reader streaming the file meets the page description first; the next IFD
    // starts on the word boundary after the strip (TIFF 6.0 §2: IFDs begin on word boundaries).
    const fields = (stripOffset: number): Field[] =>
      pageFields(page, index, this.pageCount ?? 0, stripOffset, strip.length, options, quality);
    const start = this.offset;
    const stripOffset = start + ifdSize(fields(0));
    const stripEnd = stripOffset + strip.length;
    const last = this.pageCount !== undefined && index + 1 >= this.pageCount;
    const next = last ? 0 : stripEnd + (stripEnd % 2);
    const ifd = fields(stripOffset);
    parts.push(ifdBytes(ifd, start, next), strip);
    if (next > stripEnd) parts.push(new Uint8Array(1));
    // Entries are 12 bytes after the 2-byte count; a value that fits sits 8 bytes into its entry.
    const pageNumber = ifd.findIndex((field) => field.tag === TiffTag.PageNumber);
    this.pageCountOffsets.push(start + 2 + pageNumber * 12 + 8 + 2);
    this.lastNextOffset = start + 2 + ifd.length * 12;
    this.offset = stripEnd + (stripEnd % 2);
    return parts;
  }

  /** The bytes to overwrite once every page is added: none when the page count was given up front. */
  finish(): TiffPatch[] {
    const count = this.pageCountOffsets.length;
    if (count === 0) throw new RangeError('a TIFF file needs at least one page');
    if (this.pageCount !== undefined) return [];
    const short = new Uint8Array([count & 0xff, count >> 8]);
    return [
      ...this.pageCountOffsets.map((offset) => ({ offset, bytes: short })),
      { offset: this.lastNextOffset, bytes: new Uint8Array(4) },
    ];
  }
}

/** A page of the file: its shape, its strip coded in the file's compression, its reception quality if known. */
function writtenPage(
  item: BilevelPage | TiffWritePage | CodedTiffPage,
  options: TiffWriteOptions,
): { page: PageShape; strip: Uint8Array; quality?: TiffPageQuality } {
  if ('strip' in item) {
    if (item.compression !== options.compression) {
      throw new RangeError(`a page coded ${item.compression} cannot go in a ${options.compression} file`);
    }
    return { page: item.shape, strip: item.strip, quality: item.quality };
  }
  const { page, quality } = 'page' in item ? item : { page: item, quality: undefined };
  return { page, strip: codePage(page, options), quality };
}

function codePage(page: BilevelPage, options: TiffWriteOptions): Uint8Array {
  if (options.compression === 'none') {
    return options.photometric === 1 ? page.data.map((byte) => ~byte & 0xff) : page.data;
  }
  return encodePage(page, classFEncodeOptions(options.compression));
}

/** How a Class F page is coded: EOLs end on byte boundaries (T4Options bit 2) so readers can resynchronise on damage. */
export function classFEncodeOptions(compression: Compression): EncodeOptions {
  return { compression, byteAlignEol: compression !== 'mmr' };
}

function pageFields(
  page: PageShape,
  index: number,
  total: number,
  stripOffset: number,
  stripLength: number,
  options: TiffWriteOptions,
  quality: TiffPageQuality | undefined,
): Field[] {
  const short = (tag: number, ...values: number[]): Field => ({ tag, type: TiffType.SHORT, values });
  const long = (tag: number, ...values: number[]): Field => ({ tag, type: TiffType.LONG, values });
  const text = (tag: number, value: string): Field => ({ tag, type: TiffType.ASCII, values: value });
  const compression = {
    none: TiffCompression.None,
    mh: TiffCompression.T4,
    mr: TiffCompression.T4,
    mmr: TiffCompression.T6,
  }[options.compression];
  const fields: Field[] = [
    long(TiffTag.NewSubfileType, 2),
    long(TiffTag.ImageWidth, page.width),
    long(TiffTag.ImageLength, page.height),
    short(TiffTag.BitsPerSample, 1),
    short(TiffTag.Compression, compression),
    short(TiffTag.PhotometricInterpretation, options.photometric ?? 0),
    short(TiffTag.FillOrder, options.fillOrder ?? 1),
  ];
  if (options.imageDescription !== undefined) fields.push(text(TiffTag.ImageDescription, options.imageDescription));
  fields.push(
    long(TiffTag.StripOffsets, stripOffset),
    short(TiffTag.Orientation, 1),
    short(TiffTag.SamplesPerPixel, 1),
    long(TiffTag.RowsPerStrip, page.height),
    long(TiffTag.StripByteCounts, stripLength),
    { tag: TiffTag.XResolution, type: TiffType.RATIONAL, values: [page.xResolution] },
    { tag: TiffTag.YResolution, type: TiffType.RATIONAL, values: [page.yResolution] },
  );
  if (options.compression === 'mh' || options.compression === 'mr') {
    fields.push(long(TiffTag.T4Options, (options.compression === 'mr' ? T4_TWO_DIMENSIONAL : 0) | T4_FILL_BITS));
  } else if (options.compression === 'mmr') {
    fields.push(long(TiffTag.T6Options, 0));
  }
  fields.push(short(TiffTag.ResolutionUnit, 2), short(TiffTag.PageNumber, index, total));
  if (options.software !== undefined) fields.push(text(TiffTag.Software, options.software));
  if (options.dateTime !== undefined) fields.push(text(TiffTag.DateTime, options.dateTime));
  if (quality !== undefined) {
    fields.push(
      long(TiffTag.BadFaxLines, quality.badFaxLines),
      short(TiffTag.CleanFaxData, quality.cleanFaxData),
      long(TiffTag.ConsecutiveBadFaxLines, quality.consecutiveBadFaxLines),
    );
  }
  return fields;
}

/** Bytes an IFD takes with its out-of-line values (independent of the offsets stored in it). */
function ifdSize(fields: Field[]): number {
  let size = 2 + fields.length * 12 + 4;
  for (const field of fields) {
    const length = encodeValues(field).length;
    if (length > 4) size += length + (length % 2);
  }
  return size;
}

/** The IFD for file offset `start` (word-aligned), values that do not fit inline after it, linking to IFD `next`. */
function ifdBytes(fields: Field[], start: number, next: number): Uint8Array {
  const valuesStart = start + 2 + fields.length * 12 + 4;
  const out = new ByteWriter(512);
  const overflow = new ByteWriter(64);
  out.uint16(fields.length);
  for (const field of fields) {
    const encoded = encodeValues(field);
    out.uint16(field.tag);
    out.uint16(field.type);
    out.uint32(typeof field.values === 'string' ? field.values.length + 1 : field.values.length);
    if (encoded.length <= 4) {
      out.bytes(encoded);
      for (let i = encoded.length; i < 4; i++) out.uint8(0);
    } else {
      out.uint32(valuesStart + overflow.length);
      overflow.bytes(encoded);
      overflow.align(2);
    }
  }
  out.uint32(next);
  out.bytes(overflow.toBytes());
  return out.toBytes();
}

function encodeValues(field: Field): Uint8Array {
  const bytes = new ByteWriter(16);
  if (typeof field.values === 'string') {
    bytes.ascii(field.values);
    bytes.uint8(0);
  } else {
    for (const value of field.values) {
      if (field.type === TiffType.SHORT) bytes.uint16(value);
      else if (field.type === TiffType.LONG) bytes.uint32(value);
      else rational(bytes, value);
    }
  }
  return bytes.toBytes();
}

/** A resolution as numerator/denominator; fax resolutions are whole numbers, others keep two decimals. */
function rational(bytes: ByteWriter, value: number): void {
  const denominator = Number.isInteger(value) ? 1 : 100;
  bytes.uint32(Math.round(value * denominator));
  bytes.uint32(denominator);
}
