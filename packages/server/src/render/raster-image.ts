// PNG and JPEG (and re-scaled bilevel pages) to fax pages, decoded and resampled by sharp (libvips).
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import type { Metadata, Sharp } from 'sharp';
import { ditherGrey, isTwoTone, thresholdGrey } from './bilevel.js';
import { DocumentError } from './document-error.js';
import { fitSize, type PixelSize, placeGrey } from './fit-to-page.js';

/** sharp and libvips take a tenth of a second to load, which a PDF or TIFF conversion need not pay. */
async function loadSharp() {
  return (await import('sharp')).default;
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

/** One fax page from a PNG or JPEG: at its own size when it says its DPI and fits, else fitted to the page width. */
export async function renderRasterImage(bytes: Uint8Array, geometry: FaxGeometry, kind: string): Promise<BilevelPage> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (error) {
    throw new DocumentError('unreadable', `not a readable ${kind} image (${(error as Error).message})`);
  }
  const { width = 0, height = 0, density } = meta;
  if (width === 0 || height === 0) throw new DocumentError('unreadable', `the ${kind} image has no pixels`);
  const physical =
    density && density > 1 ? { widthInches: width / density, heightInches: height / density } : undefined;
  const size = fitSize(geometry, physical ?? { width, height });
  let grey: Uint8Array;
  try {
    grey = await resizedGrey(sharp(bytes), size);
  } catch (error) {
    throw new DocumentError('unreadable', `the ${kind} image is damaged (${(error as Error).message})`);
  }
  const page = placeGrey(grey, size, geometry);
  return isTwoTone(grey) ? thresholdGrey(page, geometry) : ditherGrey(page, geometry);
}

/** A bilevel page that is not in fax geometry (say a 300 dpi scan), resampled onto a fax page at its physical size. */
export async function renderBitmap(source: BilevelPage, geometry: FaxGeometry): Promise<BilevelPage> {
  const grey = new Uint8Array(source.width * source.height);
  for (let y = 0; y < source.height; y++) {
    for (let x = 0; x < source.width; x++) {
      const black = source.data[y * source.stride + (x >> 3)] & (0x80 >> (x & 7));
      grey[y * source.width + x] = black ? 0 : 255;
    }
  }
  const physical = { widthInches: source.width / source.xResolution, heightInches: source.height / source.yResolution };
  const size = fitSize(geometry, physical);
  const sharp = await loadSharp();
  const raw = sharp(grey, { raw: { width: source.width, height: source.height, channels: 1 } });
  return thresholdGrey(placeGrey(await resizedGrey(raw, size), size, geometry), geometry);
}
