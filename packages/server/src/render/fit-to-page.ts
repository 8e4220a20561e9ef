// Placing a picture on a fax page: its size in pixels at the page's (non-square) resolution, shrunk to fit, centred across.
import type { FaxGeometry } from '@faxd/protocol/image/geometry';

export interface PixelSize {
  width: number;
  height: number;
}

/**
 * Pixel size on the page of a picture `widthInches` × `heightInches`; when it has no physical size, it is stretched to
 * the page width. Either way it is shrunk (never enlarged past its size) to fit inside the page, keeping its aspect.
 */
export function fitSize(
  geometry: FaxGeometry,
  aspect: { widthInches: number; heightInches: number } | PixelSize,
): PixelSize {
  const natural =
    'widthInches' in aspect
      ? { width: aspect.widthInches * geometry.xResolution, height: aspect.heightInches * geometry.yResolution }
      : {
          width: geometry.width,
          height: ((geometry.width * aspect.height) / aspect.width) * (geometry.yResolution / geometry.xResolution),
        };
  const scale = Math.min(1, geometry.width / natural.width, geometry.height / natural.height);
  return {
    width: Math.max(1, Math.min(geometry.width, Math.round(natural.width * scale))),
    height: Math.max(1, Math.min(geometry.height, Math.round(natural.height * scale))),
  };
}

/** A white page-sized grey buffer with `grey` (size × size) pasted top-aligned and centred across. */
export function placeGrey(grey: Uint8Array, size: PixelSize, geometry: FaxGeometry): Uint8Array {
  const page = new Uint8Array(geometry.width * geometry.height).fill(255);
  const left = (geometry.width - size.width) >> 1;
  for (let y = 0; y < size.height; y++) {
    page.set(grey.subarray(y * size.width, (y + 1) * size.width), y * geometry.width + left);
  }
  return page;
}
