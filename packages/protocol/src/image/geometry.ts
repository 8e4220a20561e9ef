// Fax page geometry: scan widths and page lengths per T.4 §2 and T.30 Table 2 resolutions.

export type PaperSize = 'a4' | 'letter' | 'legal' | 'b4' | 'a3';
export type FaxResolution = 'standard' | 'fine' | 'superfine' | '300' | '400';

interface ResolutionInfo {
  /** Horizontal dots per inch. */
  x: number;
  /** Vertical lines per inch as written to TIFF (T.4's 3.85/7.7/15.4 lines/mm rounded). */
  y: number;
  /** Exact vertical lines per millimetre, used to compute page lengths. */
  linesPerMm: number;
}

export const RESOLUTIONS: Readonly<Record<FaxResolution, ResolutionInfo>> = {
  standard: { x: 204, y: 98, linesPerMm: 3.85 },
  fine: { x: 204, y: 196, linesPerMm: 7.7 },
  superfine: { x: 204, y: 391, linesPerMm: 15.4 },
  '300': { x: 300, y: 300, linesPerMm: 300 / 25.4 },
  '400': { x: 400, y: 400, linesPerMm: 400 / 25.4 },
};

/** Scan width in pixels per T.4 §2.2: 215 mm (A4, letter, legal), 255 mm (B4), 303 mm (A3). */
const SCAN_WIDTH: Readonly<Record<number, Readonly<Record<'a4' | 'b4' | 'a3', number>>>> = {
  204: { a4: 1728, b4: 2048, a3: 2432 },
  300: { a4: 2592, b4: 3072, a3: 3648 },
  400: { a4: 3456, b4: 4096, a3: 4864 },
};

/** Paper sizes in millimetres (width × length). */
export const PAPER_MM: Readonly<Record<PaperSize, { width: number; length: number }>> = {
  a4: { width: 210, length: 297 },
  letter: { width: 215.9, length: 279.4 },
  legal: { width: 215.9, length: 355.6 },
  b4: { width: 250, length: 353 },
  a3: { width: 297, length: 420 },
};

/** Fax scan line class of a paper size: letter and legal are sent at A4 width. */
function scanClass(paper: PaperSize): 'a4' | 'b4' | 'a3' {
  return paper === 'b4' || paper === 'a3' ? paper : 'a4';
}

export interface FaxGeometry {
  width: number;
  height: number;
  xResolution: number;
  yResolution: number;
}

/** Width, rows and resolution of a full fax page of `paper` at `resolution` (rows rounded down, as SpanDSP's T4_LENGTH_*). */
export function faxGeometry(paper: PaperSize, resolution: FaxResolution): FaxGeometry {
  const res = RESOLUTIONS[resolution];
  const width = SCAN_WIDTH[res.x][scanClass(paper)];
  const height = Math.floor(PAPER_MM[paper].length * res.linesPerMm + 1e-9);
  return { width, height, xResolution: res.x, yResolution: res.y };
}

/** Every fax scan width we handle, for validating input pages. */
export const FAX_WIDTHS: ReadonlySet<number> = new Set(Object.values(SCAN_WIDTH).flatMap((w) => Object.values(w)));

/** The resolution name whose vertical resolution is nearest to `yResolution` at horizontal `xResolution`. */
export function nearestResolution(xResolution: number, yResolution: number): FaxResolution {
  if (xResolution >= 350) return '400';
  if (xResolution >= 250) return '300';
  if (yResolution < 150) return 'standard';
  if (yResolution < 300) return 'fine';
  return 'superfine';
}
