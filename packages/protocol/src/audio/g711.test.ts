import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import { spandspG711Tables } from '../testing/spandsp-g711-tones.js';
import { decodeG711, encodeG711, G711_SILENCE } from './g711.js';

const ALL_INPUTS = Int16Array.from({ length: 0x10000 }, (_, i) => i - 0x8000);
const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
const bytesOf = (samples: Int16Array) => new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);

/** SpanDSP 0.0.6's outputs for a few inputs: [linear, µ-law, µ-law decoded, A-law, A-law decoded]. */
const VECTORS: readonly (readonly [number, number, number, number, number])[] = [
  [0, 0xff, 0, 0xd5, 8],
  [-1, 0x7f, 0, 0x55, -8],
  [7, 0xfe, 8, 0xd5, 8],
  [16, 0xfd, 16, 0xd4, 24],
  [32, 0xfb, 32, 0xd7, 40],
  [100, 0xf2, 104, 0xd3, 104],
  [-100, 0x72, -104, 0x53, -104],
  [1000, 0xce, 988, 0xfa, 1008],
  [-1000, 0x4e, -988, 0x7a, -1008],
  [4063, 0xaf, 4092, 0x9a, 4032],
  [8000, 0xa0, 7932, 0x8a, 8064],
  [-8000, 0x20, -7932, 0x0a, -8064],
  [16000, 0x90, 15996, 0xba, 16128],
  [30000, 0x82, 30076, 0xa8, 30208],
  [32767, 0x80, 32124, 0xaa, 32256],
  [-32768, 0x00, -32124, 0x2a, -32256],
];

describe('G.711', () => {
  it('codes and expands the reference vectors', () => {
    const linear = Int16Array.from(VECTORS, (v) => v[0]);
    assert.deepEqual(
      [...encodeG711('PCMU', linear)],
      VECTORS.map((v) => v[1]),
    );
    assert.deepEqual(
      [...encodeG711('PCMA', linear)],
      VECTORS.map((v) => v[3]),
    );
    assert.deepEqual(
      [
        ...decodeG711(
          'PCMU',
          Uint8Array.from(VECTORS, (v) => v[1]),
        ),
      ],
      VECTORS.map((v) => v[2]),
    );
    assert.deepEqual(
      [
        ...decodeG711(
          'PCMA',
          Uint8Array.from(VECTORS, (v) => v[3]),
        ),
      ],
      VECTORS.map((v) => v[4]),
    );
  });

  it('expands the decode-only reference codes', () => {
    const ulaw = decodeG711('PCMU', Uint8Array.of(0x00, 0x01, 0x0f, 0x10, 0x7e, 0x81, 0xfe));
    assert.deepEqual([...ulaw], [-32124, -31100, -16764, -15996, -8, 31100, 8]);
    const alaw = decodeG711('PCMA', Uint8Array.of(0x00, 0x01, 0x0f, 0x10, 0x7e, 0x7f, 0x80, 0xff));
    assert.deepEqual([...alaw], [-5504, -5248, -6784, -2752, -880, -848, 5504, 848]);
  });

  it('matches the reference CRC-32 of every encoder and decoder output', () => {
    const crcs = (codec: G711Codec) => [
      hex(crc32(encodeG711(codec, ALL_INPUTS))),
      hex(crc32(bytesOf(decodeG711(codec, ALL_CODES)))),
    ];
    assert.deepEqual(crcs('PCMU'), ['EB8EDAA8', '0C847A9F']);
    assert.deepEqual(crcs('PCMA'), ['9133796E', '9D764657']);
  });

  it("matches SpanDSP's linear_to_ulaw, ulaw_to_linear, linear_to_alaw and alaw_to_linear for every input", async () => {
    const spandsp = await spandspG711Tables();
    assert.deepEqual(encodeG711('PCMU', ALL_INPUTS), spandsp.ulawCodes);
    assert.deepEqual(encodeG711('PCMA', ALL_INPUTS), spandsp.alawCodes);
    assert.deepEqual(decodeG711('PCMU', ALL_CODES), spandsp.ulawLinear);
    assert.deepEqual(decodeG711('PCMA', ALL_CODES), spandsp.alawLinear);
  });

  it('codes the 1 kHz digital milliwatt as G.711 Table 5 and 6 give it', () => {
    // One period of 1 kHz at 8 kHz: the eight samples sin(π/8 + kπ/4) at the milliwatt's level (+3.17 dBm0).
    const ulawMilliwatt = Uint8Array.of(0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e);
    const alawMilliwatt = Uint8Array.of(0x34, 0x21, 0x21, 0x34, 0xb4, 0xa1, 0xa1, 0xb4);
    assert.deepEqual(encodeG711('PCMU', decodeG711('PCMU', ulawMilliwatt)), ulawMilliwatt);
    assert.deepEqual(encodeG711('PCMA', decodeG711('PCMA', alawMilliwatt)), alawMilliwatt);
  });

  it('round-trips every A-law code and every µ-law code but −0', () => {
    const alaw = encodeG711('PCMA', decodeG711('PCMA', ALL_CODES));
    assert.deepEqual(alaw, ALL_CODES);
    const ulaw = encodeG711('PCMU', decodeG711('PCMU', ALL_CODES));
    const changed = [...ulaw].flatMap((code, i) => (code === i ? [] : [[i, code]]));
    assert.deepEqual(changed, [[0x7f, 0xff]]);
  });

  it('decodes every input to within half the width of the interval it stands for, except where it clips', () => {
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const codes = encodeG711(codec, ALL_INPUTS);
      const decoded = decodeG711(codec, codes);
      // Counted per decoded value, so µ-law's +0 and −0 codes count as the one interval around 0 they share.
      const width = new Map<number, number>();
      for (const value of decoded) width.set(value, (width.get(value) ?? 0) + 1);
      const outside = ALL_INPUTS.filter((x, i) => {
        const error = Math.abs(decoded[i] - x);
        // The top code of each sign also takes every input beyond full scale (µ-law past ±32 636).
        const clipped = Math.abs(decoded[i]) >= 32_124 && Math.abs(x) > Math.abs(decoded[i]);
        return !clipped && error > (width.get(decoded[i]) ?? 0) / 2;
      });
      assert.deepEqual([...outside], [], codec);
    }
  });

  it('writes into a caller buffer without allocating and refuses one too short', () => {
    const out = new Uint8Array(4);
    assert.equal(encodeG711('PCMU', Int16Array.of(0, 0, 0), out), out);
    assert.deepEqual([...out], [0xff, 0xff, 0xff, 0]);
    assert.throws(() => encodeG711('PCMA', new Int16Array(5), out), RangeError);
    assert.throws(() => decodeG711('PCMA', new Uint8Array(5), new Int16Array(4)), RangeError);
    assert.deepEqual([...decodeG711('PCMU', Uint8Array.of(G711_SILENCE.PCMU))], [0]);
    assert.deepEqual([...decodeG711('PCMA', Uint8Array.of(G711_SILENCE.PCMA))], [8]);
  });
});
