import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes } from '../bits/concat-bytes.js';
import { type Compression, decodePage, encodePage } from '../image/codec.js';
import { samePixels } from '../image/page.js';
import { shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { bitsOfOctets, OctetPacker } from './line-bits.js';
import { PageBitFilter } from './page-bit-filter.js';

const PAGE = shortChart(4, 60);

/** Random bits with no run of eleven zeros, so no EOL can hide in them. */
function noise(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: count }, (_, i) => (i % 8 === 7 || random() < 0.5 ? 1 : 0));
}

/** Runs bits through the filter in chunks of `chunk` and packs what it keeps. */
function filtered(bits: Uint8Array, chunk: number): { octets: Uint8Array; ended: boolean } {
  const filter = new PageBitFilter();
  const packer = new OctetPacker();
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bits.length; at += chunk) {
    filter.filter(bits.subarray(at, at + chunk), packer);
    parts.push(packer.take());
  }
  parts.push(packer.flush());
  return { octets: concatBytes(parts), ended: filter.ended };
}

/** The page's bits from its first EOL's last eleven zeros to the end of the sixth EOL of RTC (not MR's tag after it). */
function pageBits(data: Uint8Array, compression: Compression): Uint8Array {
  const bits = bitsOfOctets(data);
  const first = bits.indexOf(1) - 11;
  let last = bits.length;
  while (bits[last - 1] === 0) last--;
  return bits.subarray(first, compression === 'mr' ? last - 1 : last);
}

describe('PageBitFilter: a non-ECM page from its first EOL to RTC', () => {
  for (const compression of ['mh', 'mr'] as const satisfies readonly Compression[]) {
    for (const chunk of [1, 7, 36, 100_000]) {
      it(`${compression}: noise before and after the page is dropped, in chunks of ${chunk} bits`, () => {
        const data = encodePage(PAGE, { compression });
        const line = concatBytes([noise(333, 1), bitsOfOctets(data), noise(500, 2)]);
        const { octets, ended } = filtered(line, chunk);
        assert.ok(ended, 'RTC seen');
        // Four fill zeros, then exactly the page's bits from its first EOL, up to the last EOL of RTC.
        const kept = bitsOfOctets(octets);
        const expected = pageBits(data, compression);
        assert.deepEqual(kept.subarray(0, 4), new Uint8Array(4));
        const body = kept.subarray(4, 4 + expected.length);
        assert.deepEqual(body, expected);
        assert.ok(
          kept.subarray(4 + expected.length).every((bit) => bit === 0),
          'only octet padding after RTC',
        );
        const decoded = decodePage(octets, { compression, width: PAGE.width });
        assert.equal(decoded.badRows, 0);
        assert.ok(samePixels(decoded.page, PAGE));
      });
    }
  }

  it('all-white MR rows (tag 0 and one V0 code between EOLs) are rows, not RTC', () => {
    const white = { ...PAGE, data: new Uint8Array(PAGE.data.length) };
    const data = encodePage(white, { compression: 'mr', k: 1000 });
    const { octets, ended } = filtered(bitsOfOctets(data), 64);
    assert.ok(ended);
    const decoded = decodePage(octets, { compression: 'mr', width: PAGE.width });
    assert.equal(decoded.page.height, PAGE.height);
    assert.ok(samePixels(decoded.page, white));
  });

  it('without an EOL nothing is page (TCF zeros, or a carrier of noise)', () => {
    assert.equal(filtered(new Uint8Array(9000), 100).octets.length, 0);
    assert.equal(filtered(noise(9000, 3), 100).octets.length, 0);
  });

  it('a damaged RTC lets the tail through; the page still decodes whole', () => {
    const data = encodePage(PAGE, { compression: 'mh' });
    const bits = bitsOfOctets(data);
    // Break the third EOL of RTC by setting one of its zeros.
    let last = bits.length;
    while (bits[last - 1] === 0) last--;
    bits[last - 1 - 3 * 12 - 5] = 1;
    const { octets, ended } = filtered(concatBytes([bits, noise(200, 4)]), 50);
    assert.equal(ended, false);
    const decoded = decodePage(octets, { compression: 'mh', width: PAGE.width, height: PAGE.height });
    assert.ok(samePixels(decoded.page, PAGE));
  });
});
