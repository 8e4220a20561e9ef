// PNG and JPEG to fax pages, decoded and resampled by sharp (libvips).
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import type { Metadata, Sharp } from 'sharp';
import { ditherGrey, isTwoTone, thresholdGrey } from './bilevel.js';
import { DocumentError } from './document-error.js';
import type { DocumentBudget } from './document-limits.js';
import { fitSize, type PixelSize, placeGrey } from './fit-to-page.js';

/**
 * sharp and libvips take a tenth of a second to load, which a PDF or TIFF conversion need not pay. libvips' operation
 * cache is turned off: every image is decoded once, so the cache would only keep memory the next one cannot use.
 */
async function loadSharp() {
  const sharp = (await import('sharp')).default;
  sharp.cache(false);
  return sharp;
}

async function resizedGrey(image: Sharp, size: PixelSize): Promise<Uint8Array> {
  const { data } = await image
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, size.width * size.height);
}

/**
 * One fax page from a PNG or JPEG: at its own size when it says its DPI and fits, else fitted to the page width. Its
 * size is read from its header and held to the budget before a pixel is decoded; libvips is told the same pixel limit.
 */
export async function renderRasterImage(
  bytes: Uint8Array,
  geometry: FaxGeometry,
  kind: string,
  budget: DocumentBudget,
): Promise<BilevelPage> {
  const sharp = await loadSharp();
  const limitInputPixels = budget.limits.pixelsPerPage;
  let meta: Metadata;
  try {
    // The header alone is read here; libvips' own pixel check would refuse as unreadable what is only too large.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DocumentError('unreadable', `not a readable ${kind} image (${(error as Error).message})`);
  }
  const { width = 0, height = 0, density } = meta;
  if (width === 0 || height === 0) throw new DocumentError('unreadable', `the ${kind} image has no pixels`);
  const physical =
    density && density > 1 ? { widthInches: width / density, heightInches: height / density } : undefined;
  const size = fitSize(geometry, physical ?? { width, height });
  budget.addPages(1);
  // What is decoded is the image; what is kept, a grey page at most the fax page's size.
  budget.checkPage(1, { width, height, bytes: size.width * size.height });
  let grey: Uint8Array;
  try {
    grey = await resizedGrey(sharp(bytes, { limitInputPixels }), size);
  } catch (error) {
    throw new DocumentError('unreadable', `the ${kind} image is damaged (${(error as Error).message})`);
  }
  const page = placeGrey(grey, size, geometry);
  return isTwoTone(grey) ? thresholdGrey(page, geometry) : ditherGrey(page, geometry);
}
