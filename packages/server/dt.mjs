import sharp from 'sharp';
import { ditherGrey, isTwoTone } from './dist/render/bilevel.js';
import { fitSize, placeGrey } from './dist/render/fit-to-page.js';

const raw = new Uint8Array(400 * 400);
for (let y = 0; y < 400; y++) for (let x = 0; x < 400; x++) raw[y * 400 + x] = x < 200 ? 64 : 192;
const jpeg = await sharp(raw, { raw: { width: 400, height: 400, channels: 1 } })
  .jpeg({ quality: 95 })
  .toBuffer();
const geometry = { width: 1728, height: 1075, xResolution: 204, yResolution: 98 };
const meta = await sharp(jpeg).metadata();
console.log(meta.width, meta.height, meta.density);
const size = fitSize(
  geometry,
  meta.density > 1
    ? { widthInches: 400 / meta.density, heightInches: 400 / meta.density }
    : { width: 400, height: 400 },
);
console.log(size);
