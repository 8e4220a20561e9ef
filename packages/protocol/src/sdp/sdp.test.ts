import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../bits/decode-error.js';
import { decodeSdp, encodeSdp, findSdpAttribute } from './sdp.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const crlf = (lines: string[]) => bytes(`${lines.join('\r\n')}\r\n`);

/** The shape of a PBX's first offer: audio with A-law first, GSM, telephone-event, ptime and direction. */
const PBX_AUDIO_OFFER = [
  'v=0',
  'o=root 1001 1001 IN IP4 192.0.2.10',
  's=Asterisk PBX',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 17000 RTP/AVP 8 0 3 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:3 GSM/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=maxptime:150',
  'a=sendrecv',
];

describe('SDP decoding (RFC 4566)', () => {
  it('reads session and media lines', () => {
    const session = decodeSdp(crlf(PBX_AUDIO_OFFER));
    assert.deepEqual(session.origin, {
      username: 'root',
      sessionId: '1001',
      sessionVersion: '1001',
      netType: 'IN',
      addrType: 'IP4',
      address: '192.0.2.10',
    });
    assert.equal(session.sessionName, 'Asterisk PBX');
    assert.equal(session.connection?.address, '192.0.2.10');
    assert.deepEqual(session.times, [{ start: '0', stop: '0' }]);
    assert.equal(session.media.length, 1);
    const audio = session.media[0];
    assert.equal(audio.type, 'audio');
    assert.equal(audio.port, 17000);
    assert.equal(audio.protocol, 'RTP/AVP');
    assert.deepEqual(audio.formats, ['8', '0', '3', '101']);
    assert.deepEqual(findSdpAttribute(audio.attributes, 'FMTP'), { name: 'fmtp', value: '101 0-16' });
    assert.deepEqual(findSdpAttribute(audio.attributes, 'sendrecv'), { name: 'sendrecv' });
  });

  it('round-trips byte for byte when the input is in canonical order', () => {
    const input = crlf([
      ...PBX_AUDIO_OFFER.slice(0, 3),
      'i=fax line',
      'c=IN IP4 192.0.2.10',
      'b=AS:64',
      't=0 0',
      'a=tool:faxd',
      'm=image 4000/2 udptl t38',
      'i=T.38',
      'c=IN IP4 192.0.2.11',
      'b=AS:20',
      'a=T38FaxVersion:0',
    ]);
    assert.deepEqual(encodeSdp(decodeSdp(input)), input);
    assert.deepEqual(encodeSdp(decodeSdp(crlf(PBX_AUDIO_OFFER))), crlf(PBX_AUDIO_OFFER));
  });

  it('accepts bare LF line ends, trailing white space and a missing final line end', () => {
    const session = decodeSdp(bytes('v=0\no=- 1 2 IN IP4 h \ns=-\nt=0 0\nm=image 0 udptl t38'));
    assert.equal(session.media[0].port, 0);
    assert.equal(session.origin.address, 'h');
  });

  const malformed: [string, string][] = [
    ['empty body', ''],
    ['no v= first', 'o=- 1 1 IN IP4 h\r\nv=0\r\ns=-\r\n'],
    ['v=1', 'v=1\r\no=- 1 1 IN IP4 h\r\ns=-\r\n'],
    ['no o= line', 'v=0\r\ns=-\r\n'],
    ['no s= line', 'v=0\r\no=- 1 1 IN IP4 h\r\n'],
    ['o= with five fields', 'v=0\r\no=- 1 IN IP4 h\r\ns=-\r\n'],
    ['o= with a non-numeric session id', 'v=0\r\no=- x 1 IN IP4 h\r\ns=-\r\n'],
    ['c= with two fields', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN 1.2.3.4\r\n'],
    ['m= without formats', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 4000 RTP/AVP\r\n'],
    ['m= with a port above 65535', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n'],
    ['m= with a negative port', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nm=audio -1 RTP/AVP 0\r\n'],
    ['a line without =', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nhello\r\n'],
    ['an upper-case type letter', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nM=audio 1 RTP/AVP 0\r\n'],
    ['a bad attribute name', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\na=x y:1\r\n'],
    ['a bad t= line', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=now\r\n'],
    ['a second v= line', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nv=0\r\n'],
  ];
  for (const [name, text] of malformed) {
    it(`refuses ${name} with DecodeError`, () => {
      assert.throws(() => decodeSdp(bytes(text)), DecodeError);
    });
  }

  it('refuses a body that is not UTF-8', () => {
    assert.throws(() => decodeSdp(new Uint8Array([0x76, 0x3d, 0x30, 0x0d, 0x0a, 0x73, 0x3d, 0xff])), DecodeError);
  });

  it('gives a session or DecodeError for any bytes, and for mutated real offers', () => {
    const check = (input: Uint8Array) => {
      try {
        decodeSdp(input);
      } catch (error) {
        assert.ok(error instanceof DecodeError, String(error));
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 2000 });
    const base = crlf(PBX_AUDIO_OFFER);
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(base.length), (at, byte, cut) => {
        const mutated = base.slice(0, Math.max(at + 1, cut));
        mutated[at] = byte;
        check(mutated);
      }),
      { numRuns: 2000 },
    );
  });
});
