import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPage } from '@faxd/protocol';
import sharp from 'sharp';
import { encodePng } from './png-output.js';

describe('encodePng', () => {
  it('writes a 1-bit greyscale PNG whose pixels decode back exactly, with the fax resolution in pHYs', async () => {
    const page = createPage({ width: 21, height: 5, xResolution: 204, yResolution: 98 });
    for (let i = 0; i < page.data.length; i++) page.data[i] = (i * 37) & 0xff;
    for (let y = 0; y < page.height; y++) page.data[y * page.stride + 2] &= 0xf8; // padding bits stay 0
    const png = encodePng(page);
    const meta = await sharp(png).metadata();
    assert.equal(meta.channels, 1);
    const { data } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    assert.equal(png[24], 1, 'IHDR bit depth 1');
    assert.equal(png[25], 0, 'IHDR colour type greyscale');
    for (let y = 0; y < page.height; y++) {
      for (let x = 0; x < page.width; x++) {
        const black = (page.data[y * page.stride + (x >> 3)] & (0x80 >> (x & 7))) !== 0;
        assert.equal(data[y * page.width + x], black ? 0 : 255, `pixel ${x},${y}`);
      }
    }
    const phys = Buffer.from(png).indexOf('pHYs');
    const view = new DataView(png.buffer, png.byteOffset + phys + 4, 9);
    assert.deepEqual([view.getUint32(0), view.getUint32(4), view.getUint8(8)], [8031, 3858, 1]);
  });
});
