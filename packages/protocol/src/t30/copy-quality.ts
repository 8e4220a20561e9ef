// The receiver's copy-quality verdict on a non-ECM page: MCF, RTP or RTN (T.30 post-message responses, Table 2).
//
// T.30 leaves the thresholds to the receiver. faxd confirms a page with few and short runs of bad rows, accepts it
// with a retrain (RTP) when errors are noticeable but the page is still readable, and rejects it (RTN) otherwise.

import type { PageQuality } from './document-port.js';

export interface CopyQualityPolicy {
  /** Most bad rows, in percent of all rows, still answered MCF. */
  readonly goodBadRowPercent: number;
  /** Longest run of bad rows still answered MCF. */
  readonly goodConsecutiveBadRows: number;
  /** Most bad rows, in percent, still accepted at all (RTP); more is RTN. */
  readonly acceptBadRowPercent: number;
  /** Longest run of bad rows still accepted (RTP); longer is RTN. */
  readonly acceptConsecutiveBadRows: number;
}

/** 2 % and 8 rows for MCF, 10 % and 32 rows for RTP: a 32-row gap at fine resolution is about 4 mm of paper. */
export const DEFAULT_COPY_QUALITY: CopyQualityPolicy = {
  goodBadRowPercent: 2,
  goodConsecutiveBadRows: 8,
  acceptBadRowPercent: 10,
  acceptConsecutiveBadRows: 32,
};

export type CopyQualityVerdict = 'MCF' | 'RTP' | 'RTN';

/** A page with no decodable rows is always RTN. */
export function judgeCopyQuality(
  quality: PageQuality,
  policy: CopyQualityPolicy = DEFAULT_COPY_QUALITY,
): CopyQualityVerdict {
  if (quality.rows <= 0) return 'RTN';
  const percent = (quality.badRows * 100) / quality.rows;
  if (percent <= policy.goodBadRowPercent && quality.consecutiveBadRows <= policy.goodConsecutiveBadRows) return 'MCF';
  if (percent <= policy.acceptBadRowPercent && quality.consecutiveBadRows <= policy.acceptConsecutiveBadRows) {
    return 'RTP';
  }
  return 'RTN';
}
