import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../bits/decode-error.js';
import { decodeUdptlPacket, encodeUdptlPacket, redundancyPacketSize, type UdptlPacket } from './udptl-packet.js';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((octet) => Number.parseInt(octet, 16)));
const show = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

function both(packet: UdptlPacket, bytes: string): void {
  assert.equal(show(encodeUdptlPacket(packet)), bytes);
  assert.deepEqual(decodeUdptlPacket(hex(bytes)), packet);
}

describe('UDPTL packet vectors', () => {
  it('sends no error recovery as an empty redundancy list 00 00', () => {
    both(
      { seqNumber: 1, primary: hex('02'), errorRecovery: { type: 'redundancy', secondaries: [] } },
      '00 01 01 02 00 00',
    );
  });

  it('writes the seq-number big-endian and secondaries newest first', () => {
    both(
      {
        seqNumber: 0x1234,
        primary: hex('c0 01 20'),
        errorRecovery: { type: 'redundancy', secondaries: [hex('c0 01 80 00 00 ff'), hex('06')] },
      },
      '12 34 03 c0 01 20 00 02 06 c0 01 80 00 00 ff 01 06',
    );
  });

  it('uses the two-octet length form from 128 octets', () => {
    const primary = new Uint8Array(300).fill(0xaa);
    const bytes = encodeUdptlPacket({
      seqNumber: 65535,
      primary,
      errorRecovery: { type: 'redundancy', secondaries: [] },
    });
    assert.equal(show(bytes.subarray(0, 4)), 'ff ff 81 2c');
    assert.equal(bytes.length, 2 + 2 + 300 + 2);
    assert.equal(bytes.length, redundancyPacketSize(primary, []));
    assert.equal(
      show(
        encodeUdptlPacket({
          seqNumber: 0,
          primary: new Uint8Array(127),
          errorRecovery: { type: 'redundancy', secondaries: [] },
        }).subarray(2, 3),
      ),
      '7f',
    );
    assert.equal(
      show(
        encodeUdptlPacket({
          seqNumber: 0,
          primary: new Uint8Array(128),
          errorRecovery: { type: 'redundancy', secondaries: [] },
        }).subarray(2, 4),
      ),
      '80 80',
    );
  });

  it('decodes the FEC structure', () => {
    both(
      {
        seqNumber: 7,
        primary: hex('00'),
        errorRecovery: { type: 'fec', fecNpackets: 3, fecData: [hex('aa bb'), hex('cc')] },
      },
      '00 07 01 00 80 01 03 02 02 aa bb 01 cc',
    );
    both(
      { seqNumber: 7, primary: hex('00'), errorRecovery: { type: 'fec', fecNpackets: 200, fecData: [] } },
      '00 07 01 00 80 02 00 c8 00',
    );
  });

  it('rejects malformed datagrams with DecodeError', () => {
    for (const bad of [
      '00',
      '00 01',
      '00 01 02 00',
      '00 01 01 02',
      '00 01 01 02 40',
      '00 01 01 02 00 01',
      '00 01 01 02 00 00 00',
      '00 01 c0 00 00',
      '00 01 01 00 80 00 00',
    ]) {
      assert.throws(() => decodeUdptlPacket(hex(bad)), DecodeError, bad);
    }
  });
});

const arbitraryPacket: fc.Arbitrary<UdptlPacket> = fc
  .record({
    seqNumber: fc.integer({ min: 0, max: 0xffff }),
    primary: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    errorRecovery: fc.oneof(
      fc
        .record({
          type: fc.constant('redundancy' as const),
          secondaries: fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }),
        })
        .map((r) => ({ ...r })),
      fc
        .record({
          type: fc.constant('fec' as const),
          fecNpackets: fc.integer({ min: 0, max: 255 }),
          fecData: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }),
        })
        .map((r) => ({ ...r })),
    ),
  })
  .map((r) => ({ ...r }));

function decodesOrThrowsDecodeError(bytes: Uint8Array): void {
  try {
    decodeUdptlPacket(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
}

describe('UDPTL packet properties', () => {
  it('decode(encode(p)) = p with 0..6 secondaries or FEC', () => {
    fc.assert(
      fc.property(arbitraryPacket, (packet) => {
        const bytes = encodeUdptlPacket(packet);
        assert.deepEqual(decodeUdptlPacket(bytes), packet);
        if (packet.errorRecovery.type === 'redundancy') {
          assert.equal(bytes.length, redundancyPacketSize(packet.primary, packet.errorRecovery.secondaries));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('random and mutated bytes yield a packet or DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), decodesOrThrowsDecodeError), { numRuns: 1000 });
    fc.assert(
      fc.property(arbitraryPacket, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (packet, at, value, cut) => {
        const bytes = encodeUdptlPacket(packet);
        bytes[at % bytes.length] = value;
        decodesOrThrowsDecodeError(bytes);
        decodesOrThrowsDecodeError(bytes.subarray(0, cut % (bytes.length + 1)));
      }),
      { numRuns: 1000 },
    );
  });
});
