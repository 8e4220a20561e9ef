// The document ports of a T.30 session: where a sender's encoded pages come from and where a receiver's go (T.4 coding).
//
// The engine never touches pixels: the call layer encodes pages with image/ for the negotiated format and decodes
// received pages to judge their quality, so the session only moves octets.

import type { CodingScheme, PageLength, PageWidth, Resolution, ScanTime } from './frames/dis-dcs-bits.js';

/** What a page must be encoded as, taken from the DCS in force. */
export interface PageFormat {
  readonly compression: CodingScheme;
  readonly resolution: Resolution;
  readonly width: PageWidth;
  readonly length: PageLength;
  /** Minimum transmission time of a coded scan line (non-ECM only; 0 with ECM). */
  readonly minScanLineTime: ScanTime;
  /** Image modem rate, which with minScanLineTime sets the fill bits a line needs. */
  readonly bitRate: number;
  readonly ecm: boolean;
}

export interface DocumentSource {
  readonly pageCount: number;
  /** Page `index` (0-based) coded for `format`; called again for a page resent after RTN or a new DCS. */
  page(index: number, format: PageFormat): Uint8Array;
  /** Whether page `index` needs a new DCS (sender ends the previous page with EOM instead of MPS). */
  needsNewFormat?(index: number): boolean;
  /**
   * True when the caller records each page the receiver confirmed (the `page-done` event with MCF or RTP) and reports
   * the record's end as a `page-recorded` input: the session holds its next step (the next page, or the DCN after the
   * last) until then. The receiver cannot end the call before the sender's record of its pages is written, so a
   * sender that stops at any point never has a reception ended whole whose pages it would send again.
   */
  readonly durable?: boolean;
}

/** A received page as the receiver's decoder saw it (T.30 leaves the copy-quality check to the receiver). */
export interface PageQuality {
  readonly rows: number;
  readonly badRows: number;
  /** Longest run of consecutive bad rows. */
  readonly consecutiveBadRows: number;
}

export interface ReceivedPage {
  /** 1-based page number within the call. */
  readonly page: number;
  readonly data: Uint8Array;
  readonly format: PageFormat;
  readonly quality: PageQuality;
}

export interface DocumentSink {
  /** False while the sink cannot take another ECM block; the session answers RNR until it can (T.30 Annex A). */
  ready?(): boolean;
  /** Decodes a page just received to judge it; the session answers MCF, RTP or RTN from the result. */
  assessPage(data: Uint8Array, format: PageFormat): PageQuality;
  /**
   * Keeps a page the session judged fit to confirm (MCF or RTP). Pages answered RTN are not stored: they will come
   * again. A `durable` sink only starts writing here; the session answers once the caller reports how it ended.
   */
  storePage(page: ReceivedPage): void;
  /**
   * True when `storePage` starts a write (to disk, with fsync) whose end the caller reports as a `page-stored` input:
   * the session holds its MCF or RTP until then, so a page is never confirmed that was not stored.
   */
  readonly durable?: boolean;
}
