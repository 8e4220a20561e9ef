// Changing a fax page's vertical resolution (standard 3.85, fine 7.7, superfine 15.4 lines/mm; T.4 §2.2) without re-rendering.
import { type BilevelPage, createPage } from './page.js';

/**
 * The page redrawn with `height` rows at `yResolution`. Each new row is the OR of the source rows it covers, so a
 * one-row line survives going from fine to standard; going up, rows repeat.
 */
export function changeVerticalResolution(page: BilevelPage, yResolution: number, height: number): BilevelPage {
  const out = createPage({ width: page.width, height, xResolution: page.xResolution, yResolution });
  const { stride } = page;
  const scale = page.height / height;
  for (let row = 0; row < height; row++) {
    const first = Math.min(page.height - 1, Math.floor(row * scale));
    const end = Math.max(first + 1, Math.min(page.height, Math.floor((row + 1) * scale)));
    const target = row * stride;
    out.data.set(page.data.subarray(first * stride, first * stride + stride), target);
    for (let source = first + 1; source < end; source++) {
      const offset = source * stride;
      for (let i = 0; i < stride; i++) out.data[target + i] |= page.data[offset + i];
    }
  }
  return out;
}
