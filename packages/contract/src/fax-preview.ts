// The preview of a fax before it is submitted (POST /v1/previews, a faxd addition with no COM counterpart): the pages
// the documents render to, exactly as a submission of them would render them, with the header line an attempt would
// stamp on them now, as PNG images.

import type { CoverPageRequest, SubmittedDocument } from './api-resources.js';

/**
 * The documents, and what the header line stamped at the top of each page says when faxd sends them: the recipient
 * (or the number), the sender, and the sending line's TSID (`line`, or the first line that sends). With `coverPage`,
 * the cover page a submission to `to` would send goes first, filled in as the submission's would be.
 */
export interface PreviewRequest {
  readonly documents: readonly SubmittedDocument[];
  readonly to?: string;
  readonly recipientName?: string;
  readonly senderName?: string;
  readonly senderCompany?: string;
  readonly senderFaxNumber?: string;
  readonly senderVoiceNumber?: string;
  readonly coverPage?: CoverPageRequest;
  readonly line?: number;
}

/** One fax page at its own resolution: pixels may be non-square (standard resolution is 204 × 98 dpi). */
export interface FaxPreviewPage {
  readonly width: number;
  readonly height: number;
  /** Dots per inch across and down the page. */
  readonly xResolution: number;
  readonly yResolution: number;
  /** The page as a 1-bit PNG, one image pixel per fax pixel. */
  readonly pngBase64: string;
}

export interface FaxPreview {
  readonly pages: readonly FaxPreviewPage[];
}
