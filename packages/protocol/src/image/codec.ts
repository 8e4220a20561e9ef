// T.4 (MH, MR) and T.6 (MMR) page coding: the entry points the rest of faxd calls.
import { DecodeError } from '../bits/decode-error.js';
import { decodeMmrPage } from './mmr-page-decoder.js';
import type { BilevelPage } from './page.js';
import { encodeBitmapPage, type PageCoding, RowEncoder } from './page-encoder.js';
import { PageRows, type RowSink } from './page-rows.js';
import { decodeT4Page } from './t4-page-decoder.js';

export type Compression = 'mh' | 'mr' | 'mmr';

export interface EncodeOptions {
  compression: Compression;
  /** MR only: a 1-D row at least every K rows (T.4 §4.2.1: K = 2 at standard, 4 at higher resolutions). Default from yResolution. */
  k?: number;
  /** T.4 only: insert fill bits so every EOL ends on a byte boundary (TIFF Group3Options bit 2). Default false. */
  byteAlignEol?: boolean;
  /** End the page with RTC (T.4) or EOFB (T.6). Default true. */
  endOfPage?: boolean;
}

export interface DecodeOptions {
  compression: Compression;
  /** Pixels per row. */
  width: number;
  /** Rows expected (TIFF ImageLength); decoding stops there. Without it, decoding runs to RTC/EOFB or the end of data. */
  height?: number;
  /**
   * Without `height`, decoding stops after this many rows (default 65536). Garbage can code a row per bit (a run of
   * 1 bits is a stream of V0 rows in MMR), so without a cap a megabyte of noise would become gigabytes of page.
   * 65536 rows is over four metres of paper at superfine resolution, far past any real fax page.
   */
  maxRows?: number;
  xResolution?: number;
  yResolution?: number;
}

/** The most rows decoded from a page of unknown length; the TIFF reader refuses taller pages outright. */
export const DEFAULT_MAX_ROWS = 65536;

export interface DecodedPage {
  page: BilevelPage;
  /** Rows that could not be decoded (replaced by a copy of the row above). */
  badRows: number;
  /** Longest run of consecutive bad rows. */
  consecutiveBadRows: number;
  /** True when the data ended with RTC (T.4) or EOFB (T.6). */
  endOfPage: boolean;
}

/** Codes a page; the result is MSB-first (TIFF FillOrder 1) and padded with zero bits to a whole byte. */
export function encodePage(page: BilevelPage, options: EncodeOptions): Uint8Array {
  return encodeBitmapPage(page, pageCoding(options, page.yResolution), options.endOfPage ?? true);
}

function pageCoding(options: EncodeOptions, yResolution: number): PageCoding {
  const mr = options.compression === 'mr';
  const k = options.k ?? (yResolution < 150 ? 2 : 4);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`bad MR K parameter ${k}`);
  return { mmr: options.compression === 'mmr', mr, k: mr ? k : 1, byteAlignEol: options.byteAlignEol ?? false };
}

/** The checks decodePage makes of its options before any decoding. */
function checkDecodeOptions(options: DecodeOptions): void {
  const { width, height, maxRows = DEFAULT_MAX_ROWS } = options;
  if (!Number.isInteger(width) || width <= 0) throw new DecodeError(`bad page width ${width}`, 0);
  if (height !== undefined && (!Number.isInteger(height) || height < 0)) {
    throw new DecodeError(`bad page height ${height}`, 0);
  }
  if (!Number.isInteger(maxRows) || maxRows <= 0) throw new DecodeError(`bad row limit ${maxRows}`, 0);
}

/** Decodes `data` into `rows`; true when it ended with RTC (T.4) or EOFB (T.6). */
function decodeInto(data: Uint8Array, compression: Compression, rows: RowSink): boolean {
  return compression === 'mmr' ? decodeMmrPage(data, rows) : decodeT4Page(data, rows, compression === 'mr');
}

/**
 * Decodes MSB-first coded data. Damaged rows never throw: they repeat the row above and are counted;
 * only invalid options raise DecodeError.
 */
export function decodePage(data: Uint8Array, options: DecodeOptions): DecodedPage {
  checkDecodeOptions(options);
  const rows = new PageRows(options.width, options.height, options.maxRows ?? DEFAULT_MAX_ROWS);
  const endOfPage = decodeInto(data, options.compression, rows);
  const page = rows.toPage(options.xResolution ?? 204, options.yResolution ?? 98);
  return { page, badRows: rows.badRows, consecutiveBadRows: rows.consecutiveBadRows, endOfPage };
}

/** A page coded afresh from another coding, with what decoding it found. */
export interface TranscodedPage {
  /** The page in the new coding, as encodePage writes it. */
  data: Uint8Array;
  height: number;
  badRows: number;
  consecutiveBadRows: number;
  /** True when the input ended with RTC (T.4) or EOFB (T.6). */
  endOfPage: boolean;
}

/**
 * Recodes MSB-first coded data as `to` asks: the same bytes as encodePage(decodePage(data, from).page, to), with
 * each row handed from the decoder to the encoder as changing elements, so no bitmap is painted and scanned again.
 * `from.yResolution` chooses MR's K when `to.k` is absent, as the page's resolution does for encodePage.
 */
export function transcodePage(data: Uint8Array, from: DecodeOptions, to: EncodeOptions): TranscodedPage {
  checkDecodeOptions(from);
  const coding = pageCoding(to, from.yResolution ?? 98);
  // MMR recoded as MH takes up to three times its bytes or so: room for that from the start, as growing the buffer
  // mid-page makes V8 drop the optimised row loop.
  const expectedBytes = 4 * data.length + 16384;
  const rows = new RowEncoder(from.width, from.height, from.maxRows ?? DEFAULT_MAX_ROWS, coding, expectedBytes);
  const endOfPage = decodeInto(data, from.compression, rows);
  return {
    data: rows.finish(to.endOfPage ?? true),
    height: rows.rows,
    badRows: rows.badRows,
    consecutiveBadRows: rows.consecutiveBadRows,
    endOfPage,
  };
}
