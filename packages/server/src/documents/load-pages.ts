// Any input document to fax pages: TIFF through faxd's own reader (fax pages kept exact), everything else rendered.
import {
  FAX_WIDTHS,
  type FaxResolution,
  faxGeometry,
  nearestResolution,
  type PaperSize,
  RESOLUTIONS,
} from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { readTiff } from '@faxd/protocol/image/tiff/tiff-reader';
import { changeVerticalResolution } from '@faxd/protocol/image/vertical-resolution';
import { renderBitmap } from '../render/raster-image.js';
import { renderDocument } from '../render/render-document.js';

export interface LoadOptions {
  paper: PaperSize;
  /** Wanted resolution; when absent, TIFF fax pages keep theirs and other documents render at fine. */
  resolution?: FaxResolution;
}

function isTiff(bytes: Uint8Array): boolean {
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0;
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a;
  return le || be;
}

/** A page already in fax geometry: one of the T.4 scan widths at its horizontal resolution. */
function isFaxGeometry(page: BilevelPage): boolean {
  return FAX_WIDTHS.has(page.width) && [204, 300, 400].includes(page.xResolution);
}

/** A TIFF page as a fax page: fax geometry keeps its pixels (only rows change with the resolution), anything else is rescaled. */
async function faxPageFromTiff(page: BilevelPage, options: LoadOptions): Promise<BilevelPage> {
  const own = nearestResolution(page.xResolution, page.yResolution);
  const wanted = options.resolution ?? own;
  if (isFaxGeometry(page) && RESOLUTIONS[wanted].x === page.xResolution) {
    if (wanted === own) return page;
    const scale = RESOLUTIONS[wanted].linesPerMm / RESOLUTIONS[own].linesPerMm;
    return changeVerticalResolution(page, RESOLUTIONS[wanted].y, Math.round(page.height * scale));
  }
  return renderBitmap(page, faxGeometry(options.paper, wanted));
}

export async function loadDocumentPages(bytes: Uint8Array, options: LoadOptions): Promise<BilevelPage[]> {
  if (isTiff(bytes)) {
    const pages = readTiff(bytes);
    return Promise.all(pages.map(({ page }) => faxPageFromTiff(page, options)));
  }
  return renderDocument(bytes, { paper: options.paper, resolution: options.resolution ?? 'fine' });
}
