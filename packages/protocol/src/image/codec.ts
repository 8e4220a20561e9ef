// T.4 (MH, MR) and T.6 (MMR) page coding: the entry points the rest of faxd calls.
import { DecodeError } from '../bits/decode-error.js';
import { decodeMmrPage } from './mmr-page-decoder.js';
import type { BilevelPage } from './page.js';
import { encodeMmrPage, encodeT4Page } from './page-encoder.js';
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
  const endOfPage = options.endOfPage ?? true;
  if (options.compression === 'mmr') return encodeMmrPage(page, endOfPage);
  const mr = options.compression === 'mr';
  const k = options.k ?? (page.yResolution < 150 ? 2 : 4);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`bad MR K parameter ${k}`);
  return encodeT4Page(page, { mr, k: mr ? k : 1, byteAlignEol: options.byteAlignEol ?? false, endOfPage });
}

/**
 * Decodes MSB-first coded data. Damaged rows never throw: they repeat the row above and are counted;
 * only invalid options raise DecodeError.
 */
export function decodePage(data: Uint8Array, options: DecodeOptions): DecodedPage {
  const { width, height, maxRows = DEFAULT_MAX_ROWS } = options;
  if (!Number.isInteger(width) || width <= 0) throw new DecodeError(`bad page width ${width}`, 0);
  if (height !== undefined && (!Number.isInteger(height) || height < 0)) {
    throw new DecodeError(`bad page height ${height}`, 0);
  }
  if (!Number.isInteger(maxRows) || maxRows <= 0) throw new DecodeError(`bad row limit ${maxRows}`, 0);
  const { rows, endOfPage } =
    options.compression === 'mmr'
      ? decodeMmrPage(data, width, height, maxRows)
      : decodeT4Page(data, width, height, maxRows, options.compression === 'mr');
  const page = rows.toPage(options.xResolution ?? 204, options.yResolution ?? 98);
  return { page, badRows: rows.badRows, consecutiveBadRows: rows.consecutiveBadRows, endOfPage };
}
