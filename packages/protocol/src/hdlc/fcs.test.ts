import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { reverseOctets } from './bit-order.js';
import { appendFcs, checkFcs, computeFcs } from './fcs.js';

const ascii = (text: string) => new TextEncoder().encode(text);

/** Bit-at-a-time CRC-16/X.25 (reflected 0x8408, init 0xFFFF, complemented): an independent model for LSB-first octets. */
function crcX25(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}

function reverse16(value: number): number {
  let out = 0;
  for (let i = 0; i < 16; i++) if (value & (1 << i)) out |= 0x8000 >> i;
  return out;
}

describe('HDLC FCS', () => {
  it('has the CRC-16/GENIBUS check value for "123456789" over MSB-first octets', () => {
    assert.equal(computeFcs(ascii('123456789')), 0xd64e);
  });

  it('equals CRC-16/X.25 (check 0x906E) of the same frame held LSB-first', () => {
    assert.equal(crcX25(ascii('123456789')), 0x906e);
    const lsbFirst = reverseOctets(ascii('123456789'));
    assert.equal(reverse16(crcX25(lsbFirst)), computeFcs(ascii('123456789')));
  });

  it('matches the X.25 model on random frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assert.equal(computeFcs(bytes), reverse16(crcX25(reverseOctets(bytes))));
      }),
    );
  });

  it('appends the FCS high octet first and checks it', () => {
    const dis = Uint8Array.of(0xff, 0xc8, 0x01, 0x00, 0x77, 0x1f);
    const framed = appendFcs(dis);
    const fcs = computeFcs(dis);
    assert.deepEqual([...framed.subarray(6)], [fcs >> 8, fcs & 0xff]);
    assert.equal(checkFcs(framed), true);
  });

  it('rejects any single flipped bit', () => {
    const framed = appendFcs(ascii('T.30 frame'));
    for (let bit = 0; bit < framed.length * 8; bit++) {
      const damaged = framed.slice();
      damaged[bit >> 3] ^= 0x80 >> (bit & 7);
      assert.equal(checkFcs(damaged), false, `bit ${bit}`);
    }
    assert.equal(checkFcs(Uint8Array.of(0x12)), false);
  });
});
