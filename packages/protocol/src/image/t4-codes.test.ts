// T.4 code tables: every run code round-trips through the coder and matches the bit patterns of T.4 Tables 2 and 3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitReader } from '../bits/bit-reader.js';
import { BitWriter } from '../bits/bit-writer.js';
import { decodeRun, encodeRun } from './mh-coder.js';
import { decodeOneDimensionalRow } from './mh-decoder.js';
import { BLACK_RUN_LOOKUP, WHITE_RUN_LOOKUP } from './t4-code-lookup.js';
import { BLACK_CODES, type ColourCodes, WHITE_CODES } from './t4-codes.js';

function bitsOf(bytes: Uint8Array, count: number): string {
  return [...bytes]
    .map((byte) => byte.toString(2).padStart(8, '0'))
    .join('')
    .slice(0, count);
}

function encodedBits(run: number, codes: ColourCodes): string {
  const writer = new BitWriter();
  encodeRun(writer, run, codes);
  const length = writer.bitLength;
  return bitsOf(writer.finish(), length);
}

describe('T.4 run-length code tables', () => {
  for (const [name, codes, lookup] of [
    ['white', WHITE_CODES, WHITE_RUN_LOOKUP],
    ['black', BLACK_CODES, BLACK_RUN_LOOKUP],
  ] as const) {
    it(`round-trips every ${name} terminating and make-up code, and longer runs`, () => {
      const runs = [...Array(64).keys()];
      for (let i = 1; i <= 40; i++) runs.push(i * 64, i * 64 + 63);
      runs.push(2560 + 2560 + 17, 10000);
      for (const run of runs) {
        const writer = new BitWriter();
        encodeRun(writer, run, codes);
        const reader = new BitReader(writer.finish());
        assert.equal(decodeRun(reader, lookup, 20000), run, `${name} run ${run}`);
      }
    });

    it(`${name} codes form a prefix code`, () => {
      const all = [...codes.terminating, ...codes.makeUp.slice(1)].map((c) =>
        c.value.toString(2).padStart(c.length, '0'),
      );
      for (const a of all) for (const b of all) if (a !== b) assert.ok(!b.startsWith(a), `${a} prefixes ${b}`);
    });
  }

  it('matches known bit patterns from T.4 Tables 2 and 3', () => {
    assert.equal(encodedBits(0, WHITE_CODES), '00110101');
    assert.equal(encodedBits(2, WHITE_CODES), '0111');
    assert.equal(encodedBits(63, WHITE_CODES), '00110100');
    assert.equal(encodedBits(64, WHITE_CODES), '11011' + '00110101');
    assert.equal(encodedBits(1728, WHITE_CODES), '010011011' + '00110101');
    assert.equal(encodedBits(0, BLACK_CODES), '0000110111');
    assert.equal(encodedBits(2, BLACK_CODES), '11');
    assert.equal(encodedBits(63, BLACK_CODES), '000001100111');
    assert.equal(encodedBits(65, BLACK_CODES), '0000001111' + '010');
    assert.equal(encodedBits(1792, BLACK_CODES), '00000001000' + '0000110111');
    assert.equal(encodedBits(2560 + 3, WHITE_CODES), '000000011111' + '1000');
  });

  it('rejects the EOL pattern and overlong runs', () => {
    assert.equal(decodeRun(new BitReader(new Uint8Array([0x00, 0x10])), WHITE_RUN_LOOKUP, 1728), -1);
    const writer = new BitWriter();
    encodeRun(writer, 100, WHITE_CODES);
    assert.equal(decodeRun(new BitReader(writer.finish()), WHITE_RUN_LOOKUP, 99), -1);
  });
});

describe('MH row decoding', () => {
  it('reads short white and black runs, two codes at a time, to the end of the row', () => {
    const writer = new BitWriter();
    // A zero-length white run between black ones continues the black: changes at 3, 5 and 6 only.
    for (const [index, run] of [3, 2, 1, 1, 0, 1].entries()) {
      encodeRun(writer, run, index % 2 === 0 ? WHITE_CODES : BLACK_CODES);
    }
    const reader = new BitReader(writer.finish());
    const out = new Int32Array(8 + 5);
    assert.equal(decodeOneDimensionalRow(reader, 8, out), 3);
    assert.deepEqual([...out.subarray(0, 5)], [3, 5, 6, 8, 8]);
    assert.equal(reader.position, 4 + 2 + 6 + 3 + 8 + 3);
  });

  it("leaves the code after a row's last run to the next row when no EOL comes between", () => {
    // Two rows of white 8 (10011): the second's first bits also read as black 3 (10), which must not be taken as
    // part of the first row.
    const writer = new BitWriter();
    encodeRun(writer, 8, WHITE_CODES);
    encodeRun(writer, 8, WHITE_CODES);
    const reader = new BitReader(writer.finish());
    const out = new Int32Array(8 + 5);
    assert.equal(decodeOneDimensionalRow(reader, 8, out), 0);
    assert.equal(reader.position, 5);
    assert.equal(decodeOneDimensionalRow(reader, 8, out), 0);
    assert.equal(reader.position, 10);
  });
});
