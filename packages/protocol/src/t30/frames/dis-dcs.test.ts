import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import { reverseOctets } from '../../hdlc/bit-order.js';
import { type Dis, decodeDcs, decodeDis, encodeDcs, encodeDis } from './dis-dcs.js';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((octet) => Number.parseInt(octet, 16)));

/** The reference's worked example: SpanDSP T.38 receiver's DIS FIF, logged LSB-first. */
const SPANDSP_DIS_LSB_FIRST = hex('04 EE F8 C4 80 91 80 80 80 18');
/** The reference's DCS FIF: `00 62 F8 44` LSB-first, `00 46 1F 22` in TIFF FaxDcs / T.38 form. */
const SPANDSP_DCS = hex('00 46 1F 22');

/** Random fields with consistent extend bits: octets 3.. have bit 0x01 set except the last. */
const validField = fc.uint8Array({ minLength: 3, maxLength: 16 }).map((octets) => {
  const field = octets.slice();
  for (let i = 2; i < field.length; i++) field[i] = i === field.length - 1 ? field[i] & 0xfe : field[i] | 0x01;
  return field;
});

function decodesOrThrowsDecodeError(decode: (fif: Uint8Array) => unknown, fif: Uint8Array): void {
  try {
    decode(fif);
  } catch (error) {
    assert.ok(error instanceof DecodeError, String(error));
  }
}

describe('DIS field', () => {
  it('decodes the reference DIS to its exact capabilities', () => {
    const fif = reverseOctets(SPANDSP_DIS_LSB_FIRST);
    assert.deepEqual([...fif], [0x20, 0x77, 0x1f, 0x23, 0x01, 0x89, 0x01, 0x01, 0x01, 0x18]);
    assert.deepEqual(decodeDis(fif), {
      modems: new Set(['v27ter', 'v29', 'v17']),
      bitRates: new Set([14400, 12000, 9600, 7200, 4800, 2400]),
      resolutions: new Set(['standard', 'superfine', 'fine']),
      widths: new Set(['a4']),
      maxLength: 'unlimited',
      compressions: new Set(['mh', 'mmr', 'mr']),
      ecm: true,
      ecmFrameSize: 256,
      minScanLineTime: 0,
      scanTimeHalvedAtFine: false,
      flags: new Set(['t38', 'readyToReceive', 'metricPreferred', 'letter', 'legal']),
      unknownBits: [],
      fifLength: 10,
    });
    assert.deepEqual(encodeDis(decodeDis(fif)), fif);
  });

  it('encodes a DIS built from scratch with the shortest field', () => {
    const dis: Dis = {
      modems: new Set(['v27ter', 'v29']),
      bitRates: new Set([9600, 7200, 4800, 2400]),
      resolutions: new Set(['standard', 'fine']),
      widths: new Set(['a4', 'b4']),
      maxLength: 'b4',
      compressions: new Set(['mh', 'mr']),
      ecm: false,
      ecmFrameSize: 256,
      minScanLineTime: 20,
      scanTimeHalvedAtFine: true,
      flags: new Set(['readyToReceive']),
    };
    // Bits 10, 11, 12, 15, 16 | 17 (B4 width), 19 (B4 length), 21+22 (code 3: 20 ms, halved at fine).
    assert.deepEqual([...encodeDis(dis)], [0x00, 0x73, 0xac]);
  });

  it('keeps reserved codes and unknown bits through decode and encode', () => {
    // Rate code 15 (reserved), width code 3 (invalid), bit 2 (unassigned) and bit 100.
    const fif = hex('40 7C C1 01 01 01 01 01 01 01 01 01 10');
    const dis = decodeDis(fif);
    assert.deepEqual(dis.modems, new Set(['v27ter']));
    assert.deepEqual(dis.bitRates, new Set([2400]));
    assert.deepEqual(dis.widths, new Set(['a4']));
    assert.deepEqual(dis.unknownBits, [2, 11, 12, 13, 14, 17, 18, 100]);
    assert.deepEqual(encodeDis(dis), fif);
  });

  it('ends the field at the first octet whose extend bit is 0 and ignores what follows', () => {
    const dis = decodeDis(hex('00 40 00 FF FF'));
    assert.equal(dis.fifLength, 3);
    assert.deepEqual(dis.flags, new Set(['readyToReceive']));
  });

  it('round-trips random valid fields octet for octet', () => {
    fc.assert(
      fc.property(validField, (fif) => {
        assert.deepEqual(encodeDis(decodeDis(fif)), fif);
      }),
      { numRuns: 2000 },
    );
  });

  it('throws DecodeError, and nothing else, on short or random input', () => {
    assert.throws(() => decodeDis(hex('00 40')), DecodeError);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => decodesOrThrowsDecodeError(decodeDis, bytes)));
  });

  it('refuses to encode a modem set DIS cannot express', () => {
    const dis = decodeDis(reverseOctets(SPANDSP_DIS_LSB_FIRST));
    assert.throws(() => encodeDis({ ...dis, modems: new Set(['v17']) }), /cannot offer/);
  });
});

describe('DCS field', () => {
  it('decodes the reference DCS to its exact settings', () => {
    assert.deepEqual(reverseOctets(hex('00 62 F8 44')), SPANDSP_DCS);
    assert.deepEqual(decodeDcs(SPANDSP_DCS), {
      modem: 'v17',
      bitRate: 14400,
      resolution: 'fine',
      width: 'a4',
      length: 'unlimited',
      compression: 'mmr',
      ecm: true,
      ecmFrameSize: 256,
      minScanLineTime: 0,
      flags: new Set(['receive']),
      unknownBits: [],
      fifLength: 4,
    });
    assert.deepEqual(encodeDcs(decodeDcs(SPANDSP_DCS)), SPANDSP_DCS);
  });

  it('reads every rate code of the reference table', () => {
    const expected: [number, string, number][] = [
      [0, 'v27ter', 2400],
      [2, 'v27ter', 4800],
      [3, 'v29', 7200],
      [1, 'v29', 9600],
      [11, 'v17', 7200],
      [9, 'v17', 9600],
      [10, 'v17', 12000],
      [8, 'v17', 14400],
    ];
    for (const [code, modem, bitRate] of expected) {
      // Bits 11-14 are masks 0x20, 0x10, 0x08, 0x04 of the second octet.
      const second =
        0x40 | (code & 1 ? 0x20 : 0) | (code & 2 ? 0x10 : 0) | (code & 4 ? 0x08 : 0) | (code & 8 ? 0x04 : 0);
      const dcs = decodeDcs(Uint8Array.of(0, second, 0));
      assert.deepEqual([dcs.modem, dcs.bitRate], [modem, bitRate], `code ${code}`);
    }
  });

  it('rejects reserved codes with DecodeError', () => {
    assert.throws(() => decodeDcs(hex('00 5C 00')), DecodeError); // rate code 7
    assert.throws(() => decodeDcs(hex('00 40 C0')), DecodeError); // width code 3
    assert.throws(() => decodeDcs(hex('00 40 0C')), DecodeError); // scan-time code 3
  });

  it('takes the highest of several resolution or coding bits and keeps the rest', () => {
    const dcs = decodeDcs(hex('00 43 01 23 01 80'));
    assert.equal(dcs.resolution, 'superfine');
    assert.equal(dcs.compression, 'mmr');
    assert.deepEqual(dcs.unknownBits, [15, 16]);
    assert.deepEqual(encodeDcs(dcs), hex('00 43 01 23 01 80'));
  });

  it('round-trips random valid fields octet for octet', () => {
    fc.assert(
      fc.property(validField, (fif) => {
        let dcs: ReturnType<typeof decodeDcs>;
        try {
          dcs = decodeDcs(fif);
        } catch (error) {
          assert.ok(error instanceof DecodeError);
          return;
        }
        assert.deepEqual(encodeDcs(dcs), fif);
      }),
      { numRuns: 3000 },
    );
  });

  it('throws DecodeError, and nothing else, on random input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => decodesOrThrowsDecodeError(decodeDcs, bytes)));
  });
});
