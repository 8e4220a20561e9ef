import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import { reverseOctets } from '../../hdlc/bit-order.js';
import { DCS_RATE_CODES } from './dis-dcs-bits.js';
import {
  decodeCtc,
  decodeFcd,
  decodePpr,
  decodePps,
  encodeCtc,
  encodeFcd,
  encodePpr,
  encodePps,
  type PartialPageSignal,
} from './ecm-frames.js';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((octet) => Number.parseInt(octet, 16)));

function onlyDecodeErrors(decode: (fif: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        decode(bytes);
      } catch (error) {
        assert.ok(error instanceof DecodeError, String(error));
      }
    }),
  );
}

describe('ECM information fields', () => {
  it('decodes the PPS-EOP FIF seen in the wild (LSB-first 2f 00 00 a4: page 0, block 0, 165 frames)', () => {
    const fif = reverseOctets(hex('2f 00 00 a4'));
    const pps = decodePps(fif);
    assert.deepEqual(pps, { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 165 });
    assert.deepEqual(encodePps(pps, true), fif);
  });

  it('encodes counters least significant bit first and PPS-NULL as zero', () => {
    const pps: PartialPageSignal = { command: 'NULL', pageCounter: 1, blockCounter: 2, frameCount: 256 };
    assert.deepEqual([...reverseOctets(encodePps(pps, true))], [0x00, 0x01, 0x02, 0xff]);
    assert.deepEqual([...encodePps({ ...pps, command: 'MPS' }, false)].slice(0, 1), [0x72]);
    assert.throws(() => encodePps({ ...pps, frameCount: 0 }, false), /1..256/);
  });

  it('rejects an FCF2 that is not a post-message command', () => {
    assert.throws(() => decodePps(hex('31 00 00 00')), DecodeError);
  });

  it('maps PPR frame k to FIF bit k+1', () => {
    const fif = encodePpr([0, 7, 8, 255]);
    assert.equal(fif.length, 32);
    assert.deepEqual([fif[0], fif[1], fif[31]], [0x81, 0x80, 0x01]);
    // LSB-first (SpanDSP) form: frame k is mask 1 << (k mod 8).
    const lsbFirst = reverseOctets(fif);
    assert.deepEqual([lsbFirst[0], lsbFirst[1], lsbFirst[31]], [0x81, 0x01, 0x80]);
    assert.deepEqual(decodePpr(fif), [0, 7, 8, 255]);
  });

  it('round-trips random PPR maps', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 255 })), (frames) => {
        assert.deepEqual(
          decodePpr(encodePpr(frames)),
          [...frames].sort((a, b) => a - b),
        );
      }),
    );
  });

  it('reads the FCD frame number LSB-first (reference: ff 03 06 00 is frame 0)', () => {
    const frame = reverseOctets(hex('ff 03 06 00 aa 55'));
    assert.deepEqual(decodeFcd(frame.subarray(3)), { frameNumber: 0, data: reverseOctets(hex('aa 55')) });
    assert.deepEqual([...encodeFcd({ frameNumber: 1, data: hex('12') })], [0x80, 0x12]);
    assert.throws(() => decodeFcd(new Uint8Array(258)), DecodeError);
  });

  it('carries every DCS rate in CTC', () => {
    for (const row of DCS_RATE_CODES) {
      const rate = { modem: row.modem, bitRate: row.bitRate };
      assert.deepEqual(decodeCtc(encodeCtc(rate)), rate);
    }
    // V.17 14400 is DCS rate code 8: bit 14, mask 0x04 of the second octet.
    assert.deepEqual([...encodeCtc({ modem: 'v17', bitRate: 14400 })], [0x00, 0x04]);
  });

  it('throws DecodeError, and nothing else, on random input', () => {
    for (const decode of [decodePps, decodePpr, decodeFcd, decodeCtc]) onlyDecodeErrors(decode);
  });
});
