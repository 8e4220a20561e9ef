// A small picture of a fax page for a delivery report: the page shrunk by libvips (sharp) to THUMBNAIL_WIDTH pixels
// across, its height corrected for the fax's unequal resolutions (204 × 98/196/391 dpi) so the picture has the page's shape.

import type { BilevelPage } from '@faxd/protocol';

export const THUMBNAIL_WIDTH = 216;

/** A greyscale PNG of `page`, THUMBNAIL_WIDTH pixels across. */
export async function pageThumbnail(page: BilevelPage): Promise<Uint8Array> {
  const grey = new Uint8Array(page.width * page.height);
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      // Fax pixels: 1 is black (T.4 §4.1), the first pixel in the byte's most significant bit.
      const black = (page.data[y * page.stride + (x >> 3)] as number) & (0x80 >> (x & 7));
      grey[y * page.width + x] = black ? 0 : 255;
    }
  }
  const height = Math.max(
    1,
    Math.round((page.height * THUMBNAIL_WIDTH * page.xResolution) / (page.width * page.yResolution)),
  );
  // Loaded when a report needs it, as render/raster-image.ts loads it: libvips costs a tenth of a second to load.
  const sharp = (await import('sharp')).default;
  const png = await sharp(grey, { raw: { width: page.width, height: page.height, channels: 1 } })
    .resize({ width: THUMBNAIL_WIDTH, height, fit: 'fill', kernel: 'cubic' })
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}
