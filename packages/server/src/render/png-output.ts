// A fax page as a 1-bit greyscale PNG (PNG spec §11) with pHYs giving the fax's distinct horizontal and vertical resolution.
import { crc32, deflateSync } from 'node:zlib';
import { concatBytes } from '@faxd/protocol/bits/concat-bytes';
import type { BilevelPage } from '@faxd/protocol/image/page';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const METRES_PER_INCH = 0.0254;

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

function header(page: BilevelPage): Uint8Array {
  const body = new Uint8Array(13);
  const view = new DataView(body.buffer);
  view.setUint32(0, page.width);
  view.setUint32(4, page.height);
  body[8] = 1; // bit depth
  body[9] = 0; // greyscale
  return body;
}

function physicalSize(page: BilevelPage): Uint8Array {
  const body = new Uint8Array(9);
  const view = new DataView(body.buffer);
  view.setUint32(0, Math.round(page.xResolution / METRES_PER_INCH));
  view.setUint32(4, Math.round(page.yResolution / METRES_PER_INCH));
  body[8] = 1; // unit: metre
  return body;
}

/** Filter type 0 before each row; PNG greyscale has 0 = black, the opposite of a fax page's 1 = black. */
function scanlines(page: BilevelPage): Uint8Array {
  const { stride } = page;
  const out = new Uint8Array((stride + 1) * page.height);
  const lastMask = (0xff << ((8 - (page.width & 7)) & 7)) & 0xff;
  for (let y = 0; y < page.height; y++) {
    const dst = y * (stride + 1) + 1;
    for (let i = 0; i < stride; i++) out[dst + i] = ~page.data[y * stride + i] & 0xff;
    out[dst + stride - 1] &= lastMask;
  }
  return out;
}

export function encodePng(page: BilevelPage): Uint8Array {
  const parts = [
    SIGNATURE,
    chunk('IHDR', header(page)),
    chunk('pHYs', physicalSize(page)),
    chunk('IDAT', deflateSync(scanlines(page))),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concatBytes(parts);
}
