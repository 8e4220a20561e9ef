// T.4 (MH, MR) and T.6 (MMR) page coding: the entry points the rest of faxd calls.
import type { BilevelPage } from './page.js';

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
  xResolution?: number;
  yResolution?: number;
}

export interface DecodedPage {
  page: BilevelPage;
  /** Rows that could not be decoded (replaced by a copy of the row above). */
  badRows: number;
  /** Longest run of consecutive bad rows. */
  consecutiveBadRows: number;
  /** True when the data ended with RTC (T.4) or EOFB (T.6). */
  endOfPage: boolean;
}

export declare function encodePage(page: BilevelPage, options: EncodeOptions): Uint8Array;
export declare function decodePage(data: Uint8Array, options: DecodeOptions): DecodedPage;
