// Test support: small documents that ask for a great deal (issue 17's hostile submissions), and the plain PDF they
// are built from, all made by the test itself: a TIFF declaring huge pages, form feeds, a PDF of many pages.
import { TIFF_GROUP4, writeTinyTiff } from './tiny-tiff.js';

/** A PDF of `pages` A4 pages, each drawing `content` (a PDF content stream) when given, with a cross-reference table. */
export function simplePdf(pages: number, content?: string): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 4} 0 R`).join(' ');
  const page = `<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]${content === undefined ? '' : '/Contents 3 0 R'}>>`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    `<</Type/Pages/Kids[${kids}]/Count ${pages}>>`,
    `<</Length ${content?.length ?? 0}>>stream\n${content ?? ''}\nendstream`,
    ...Array<string>(pages).fill(page),
  ];
  const parts = ['%PDF-1.4\n'];
  let length = parts[0].length;
  const offsets = objects.map((body, i) => {
    const offset = length;
    const text = `${i + 1} 0 obj${body}endobj\n`;
    parts.push(text);
    length += text.length;
    return offset;
  });
  parts.push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) parts.push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  parts.push(`trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${length}\n%%EOF\n`);
  // Every character here is ASCII, so its UTF-8 bytes are the latin-1 ones the offsets count.
  return new TextEncoder().encode(parts.join(''));
}

/**
 * A TIFF of `pages` directories, each declaring a T.6 page of `width` × `height` whose one strip is a single byte: a
 * few hundred bytes that ask a reader for width × height pixels a page.
 */
export function tiffDeclaring(pages: number, width: number, height: number): Uint8Array {
  const image = { width, height, compression: TIFF_GROUP4, fillOrder: 1, t4Options: 0, data: Uint8Array.of(0) };
  return writeTinyTiff(image, pages);
}

/** `count` form feeds: as text, a page each. */
export function formFeeds(count: number): Uint8Array {
  return new Uint8Array(count).fill(0x0c);
}
