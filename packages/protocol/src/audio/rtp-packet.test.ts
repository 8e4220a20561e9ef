import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../bits/decode-error.js';
import { RtpAudioReceiver } from './rtp-audio-receiver.js';
import { decodeRtpPacket, encodeRtpPacket, type RtpPacket } from './rtp-packet.js';

const hexBytes = (text: string) => Uint8Array.from(text.match(/[0-9a-f]{2}/gi) ?? [], (h) => Number.parseInt(h, 16));

const PACKET: RtpPacket = {
  payloadType: 8,
  marker: true,
  sequenceNumber: 0x1234,
  timestamp: 0xdeadbeef,
  ssrc: 0x01020304,
  csrcs: [],
  payload: Uint8Array.of(0xd5, 0xd5, 0x55),
};

describe('RTP packet', () => {
  it('encodes the RFC 3550 §5.1 fixed header byte for byte', () => {
    assert.deepEqual(encodeRtpPacket(PACKET), hexBytes('80 88 1234 deadbeef 01020304 d5d555'));
    assert.deepEqual(
      encodeRtpPacket({ ...PACKET, marker: false, payloadType: 0, csrcs: [7] }),
      hexBytes('81 00 1234 deadbeef 01020304 00000007 d5d555'),
    );
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(
        fc.record({
          payloadType: fc.integer({ min: 0, max: 127 }),
          marker: fc.boolean(),
          sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.nat({ max: 0xffffffff }),
          ssrc: fc.nat({ max: 0xffffffff }),
          csrcs: fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 15 }),
          payload: fc.uint8Array({ maxLength: 400 }),
        }),
        (packet) => {
          // fast-check's records have no prototype; compare their fields.
          assert.deepEqual(decodeRtpPacket(encodeRtpPacket(packet)), { ...packet });
        },
      ),
    );
  });

  it('skips CSRCs, a header extension and padding to find the payload', () => {
    // CC = 2, X and P set: two CSRCs, a 2-word extension (profile 0xbede), payload 3 octets, 4 octets of padding.
    const bytes = hexBytes(
      'b2 08 0001 00000010 0000abcd 00000001 00000002 bede0002 11111111 22222222 aabbcc 000000 04',
    );
    const packet = decodeRtpPacket(bytes);
    assert.deepEqual(packet.csrcs, [1, 2]);
    assert.deepEqual([...packet.payload], [0xaa, 0xbb, 0xcc]);
    assert.equal(packet.ssrc, 0xabcd);
    assert.equal(packet.timestamp, 16);
  });

  it('refuses malformed packets with a DecodeError', () => {
    const malformed = {
      'too short': '80 00 0001 00000000 000000',
      'version 1': '40 00 0001 00000000 00000000',
      'version 0': '00 00 0001 00000000 00000000 ff',
      'CSRCs past the end': '83 00 0001 00000000 00000000 00000001',
      'extension header cut': '90 00 0001 00000000 00000000 bede',
      'extension body cut': '90 00 0001 00000000 00000000 bede0002 00000000',
      'padding of zero': 'a0 00 0001 00000000 00000000 ff 00',
      'padding past the header': 'a0 00 0001 00000000 00000000 ff 03',
    };
    for (const [name, text] of Object.entries(malformed)) {
      assert.throws(() => decodeRtpPacket(hexBytes(text)), DecodeError, name);
    }
  });

  it('throws nothing but DecodeError for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, version2) => {
        if (version2 && bytes.length > 0) bytes[0] = 0x80 | (bytes[0] & 0x3f);
        try {
          const packet = decodeRtpPacket(bytes);
          assert.ok(packet.payload.length <= bytes.length - 12);
        } catch (error) {
          assert.ok(error instanceof DecodeError, String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses header fields out of range when encoding', () => {
    assert.throws(() => encodeRtpPacket({ ...PACKET, payloadType: 128 }), RangeError);
    assert.throws(() => encodeRtpPacket({ ...PACKET, sequenceNumber: 0x10000 }), RangeError);
    assert.throws(() => encodeRtpPacket({ ...PACKET, timestamp: -1 }), RangeError);
    assert.throws(() => encodeRtpPacket({ ...PACKET, csrcs: new Array(16).fill(0) }), RangeError);
  });
});

describe('RtpAudioReceiver', () => {
  const datagram = (payloadType: number, payload = Uint8Array.of(0xff, 0x80)) =>
    encodeRtpPacket({ ...PACKET, payloadType, payload });

  it('decodes the negotiated payload type and ignores telephone-event, comfort noise and unknown types', () => {
    const receiver = new RtpAudioReceiver({ codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 96 });
    const audio = receiver.receive(datagram(0));
    assert.equal(audio.kind, 'audio');
    assert.deepEqual(audio.kind === 'audio' && [...audio.samples], [0, 32124]);
    const reasons = [96, 13, 8, 101].map((type) => {
      const arrival = receiver.receive(datagram(type));
      return arrival.kind === 'ignored' ? arrival.reason : arrival.kind;
    });
    assert.deepEqual(reasons, ['telephone-event', 'comfort-noise', 'unknown-payload-type', 'unknown-payload-type']);
    assert.deepEqual(receiver.stats, { audio: 1, ignored: 4, malformed: 0 });
  });

  it('takes a telephone-event type only where the SDP names it', () => {
    const receiver = new RtpAudioReceiver({ codec: 'PCMA', payloadType: 8 });
    const arrival = receiver.receive(datagram(101));
    assert.equal(arrival.kind === 'ignored' && arrival.reason, 'unknown-payload-type');
  });

  it('returns random bytes as malformed, never throwing', () => {
    const receiver = new RtpAudioReceiver({ codec: 'PCMA', payloadType: 8 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const arrival = receiver.receive(bytes);
        if (arrival.kind === 'malformed') assert.ok(arrival.error instanceof DecodeError);
      }),
    );
    assert.ok(receiver.stats.malformed > 0);
  });
});
