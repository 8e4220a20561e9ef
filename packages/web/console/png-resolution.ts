// The resolution a PNG's pHYs chunk (PNG spec §11.3.5.3) declares: faxd writes each fax page's own, and a fax pixel is
// seldom square (standard resolution is 204 × 98 dpi), so the viewer draws the page at the proportions it gives.

/** Pixels per metre across and down, or undefined when the image has no pHYs chunk in metres. */
export function pngPixelsPerMetre(png: Uint8Array): { x: number; y: number } | undefined {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8; // past the signature
  while (offset + 8 <= png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (type === 'pHYs' && length === 9 && offset + 17 <= png.length) {
      const unit = png[offset + 16];
      return unit === 1 ? { x: view.getUint32(offset + 8), y: view.getUint32(offset + 12) } : undefined;
    }
    if (type === 'IDAT' || type === 'IEND') return undefined; // pHYs must come before the image data
    offset += 12 + length;
  }
  return undefined;
}
