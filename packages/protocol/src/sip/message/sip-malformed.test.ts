import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import { decodeDigestChallenge, decodeDigestCredentials } from '../auth/digest-auth.js';
import { decodeNameAddr } from './name-addr.js';
import { SipDecodeError } from './sip-decode-error.js';
import { decodeSipMessage } from './sip-message.js';
import { SipStreamFramer } from './sip-stream-framer.js';
import { decodeSipUri } from './sip-uri.js';
import { decodeVia } from './via.js';

const encoder = new TextEncoder();
const GOOD_HEADERS = [
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9',
  'Max-Forwards: 70',
  'From: <sip:a@example.com>;tag=9fxced76sl',
  'To: <sip:5550100@example.com>',
  'Call-ID: 3848276298220188511@192.0.2.1',
  'CSeq: 2 INVITE',
];

function invite(overrides: {
  start?: string;
  drop?: string;
  replace?: [string, string];
  add?: string[];
  body?: string;
}): Uint8Array {
  let headers = GOOD_HEADERS.filter((line) => overrides.drop === undefined || !line.startsWith(`${overrides.drop}:`));
  const replace = overrides.replace;
  if (replace) headers = headers.map((line) => (line.startsWith(`${replace[0]}:`) ? replace[1] : line));
  const lines = [
    overrides.start ?? 'INVITE sip:5550100@example.com SIP/2.0',
    ...headers,
    ...(overrides.add ?? []),
    '',
    overrides.body ?? '',
  ];
  return encoder.encode(lines.join('\r\n'));
}

const SDP_BODY = 'v=0\r\no=- 7 7 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
/** A complete INVITE with a body, for truncation and mutation. */
const FULL_INVITE = invite({
  add: ['Content-Type: application/sdp', `Content-Length: ${SDP_BODY.length}`],
  body: SDP_BODY,
});

/** Each case: what it is, the bytes, and the reason the decoder must give. */
const CORPUS: [string, Uint8Array, string | RegExp][] = [
  ['empty datagram', new Uint8Array(0), 'Empty message'],
  ['only keep-alive CRLFs', encoder.encode('\r\n\r\n'), 'Empty message'],
  [
    'no empty line after the headers',
    encoder.encode(`INVITE sip:a@b SIP/2.0\r\n${GOOD_HEADERS.join('\r\n')}`),
    /^Truncated/,
  ],
  ['start line with extra field', invite({ start: 'INVITE sip:a@b SIP/2.0 x' }), 'Bad start line'],
  ['start line with double space', invite({ start: 'INVITE  sip:a@b SIP/2.0' }), 'Bad start line'],
  ['start line without version', invite({ start: 'INVITE sip:a@b' }), 'Bad start line'],
  ['HTTP instead of SIP', invite({ start: 'GET / HTTP/1.1' }), 'Bad start line'],
  ['SIP/3.0 request', invite({ start: 'INVITE sip:a@b SIP/3.0' }), 'Unsupported SIP version'],
  ['status 099', invite({ start: 'SIP/2.0 099 Low' }), 'Bad status code'],
  ['status 700', invite({ start: 'SIP/2.0 700 High' }), 'Bad status code'],
  ['four-digit status', invite({ start: 'SIP/2.0 2000 OK' }), 'Bad start line'],
  ['method with a slash', invite({ start: 'INV/ITE sip:a@b SIP/2.0' }), 'Bad method'],
  ['Request-URI without scheme', invite({ start: 'INVITE 5550100 SIP/2.0' }), 'Bad Request-URI'],
  ['SIP Request-URI without host', invite({ start: 'INVITE sip:5550100@ SIP/2.0' }), 'Bad SIP URI host'],
  ['SIP Request-URI with bad port', invite({ start: 'INVITE sip:a@b:99999 SIP/2.0' }), 'Bad SIP URI host port'],
  ['missing Via', invite({ drop: 'Via' }), 'Missing Via header'],
  ['missing From', invite({ drop: 'From' }), 'Missing From header'],
  ['missing To', invite({ drop: 'To' }), 'Missing To header'],
  ['missing Call-ID', invite({ drop: 'Call-ID' }), 'Missing Call-ID header'],
  ['missing CSeq', invite({ drop: 'CSeq' }), 'Missing CSeq header'],
  ['CSeq without method', invite({ replace: ['CSeq', 'CSeq: 2'] }), 'Bad CSeq header'],
  ['CSeq not a number', invite({ replace: ['CSeq', 'CSeq: two INVITE'] }), 'Bad CSeq header'],
  ['negative CSeq', invite({ replace: ['CSeq', 'CSeq: -2 INVITE'] }), 'Bad CSeq header'],
  ['CSeq of 2^31', invite({ replace: ['CSeq', 'CSeq: 2147483648 INVITE'] }), 'Bad CSeq number'],
  ['CSeq with 30 digits', invite({ replace: ['CSeq', `CSeq: ${'9'.repeat(30)} INVITE`] }), 'Bad CSeq number'],
  [
    'CSeq method of another request',
    invite({ replace: ['CSeq', 'CSeq: 2 BYE'] }),
    'CSeq method does not match the request',
  ],
  ['CSeq with trailing junk', invite({ replace: ['CSeq', 'CSeq: 2 INVITE x'] }), 'Bad CSeq header'],
  ['two Call-IDs', invite({ add: ['i: other@host'] }), 'Duplicate Call-ID header'],
  ['Call-ID with a space', invite({ replace: ['Call-ID', 'Call-ID: a b'] }), 'Bad Call-ID header'],
  [
    'Content-Length above the body',
    invite({ add: ['Content-Length: 10'], body: 'short' }),
    'Body shorter than Content-Length',
  ],
  ['huge Content-Length', invite({ add: ['Content-Length: 99999999999'] }), 'Bad Content-Length'],
  ['Content-Length above the limit', invite({ add: ['Content-Length: 70000'] }), 'Content-Length too large'],
  ['negative Content-Length', invite({ add: ['Content-Length: -1'] }), 'Bad Content-Length'],
  ['Content-Length with letters', invite({ add: ['Content-Length: 1e3'] }), 'Bad Content-Length'],
  [
    'two Content-Lengths (compact and full)',
    invite({ add: ['l: 0', 'Content-Length: 0'] }),
    'Duplicate Content-Length header',
  ],
  ['Max-Forwards not a number', invite({ replace: ['Max-Forwards', 'Max-Forwards: many'] }), 'Bad Max-Forwards'],
  ['Max-Forwards above 255', invite({ replace: ['Max-Forwards', 'Max-Forwards: 256'] }), 'Bad Max-Forwards'],
  ['Via without host', invite({ replace: ['Via', 'Via: SIP/2.0/UDP'] }), 'Bad Via header'],
  ['Via of another protocol', invite({ replace: ['Via', 'Via: HTTP/1.1/UDP h;branch=z9hG4bK1'] }), 'Bad Via header'],
  [
    'Via with empty list element',
    invite({ replace: ['Via', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1,,SIP/2.0/UDP i'] }),
    'Bad Via header',
  ],
  ['Via with bare branch', invite({ replace: ['Via', 'Via: SIP/2.0/UDP h;branch'] }), 'Bad Via branch'],
  ['Via with bad rport', invite({ replace: ['Via', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1;rport=x'] }), 'Bad Via rport'],
  [
    'From without closing bracket',
    invite({ replace: ['From', 'From: <sip:a@example.com;tag=1'] }),
    /^Bad From header|Unterminated/,
  ],
  [
    'From with unterminated display name',
    invite({ replace: ['From', 'From: "Fax <sip:a@b>;tag=1'] }),
    /Unterminated|Bad From/,
  ],
  ['To that is not a URI', invite({ replace: ['To', 'To: nobody'] }), 'Bad To header'],
  ['header line without colon', invite({ add: ['Subject'] }), 'Bad header line'],
  ['header name with a space', invite({ add: ['Sub ject: x'] }), 'Bad header line'],
  [
    'folded line before any header',
    encoder.encode(`INVITE sip:a@b SIP/2.0\r\n continued\r\n\r\n`),
    'Folded line before any header',
  ],
  [
    'bare LF smuggling a header',
    invite({ add: ['Subject: hi\nVia: SIP/2.0/UDP evil;branch=z9hG4bKx'] }),
    'Bare CR or LF in header section',
  ],
  ['bare CR in a value', invite({ add: ['Subject: a\rb'] }), 'Bare CR or LF in header section'],
  ['NUL in a value', invite({ add: ['Subject: a\u0000b'] }), 'Control character in header section'],
  [
    'Latin-1 octet in a header',
    new Uint8Array([...invite({}).subarray(0, 30), 0xe9, ...invite({}).subarray(30)]),
    'Header section is not UTF-8',
  ],
  [
    'garbage octets',
    Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]),
    'Control character in header section',
  ],
];

function reasonOf(bytes: Uint8Array): string {
  try {
    decodeSipMessage(bytes);
  } catch (error) {
    assert.ok(error instanceof SipDecodeError, `expected SipDecodeError, got ${String(error)}`);
    assert.ok(!/[\r\n]/.test(error.reason));
    return error.reason;
  }
  return 'decoded';
}

describe('malformed SIP corpus', () => {
  it('decodes the well-formed base message (so each case fails for its own reason)', () => {
    assert.equal(reasonOf(invite({})), 'decoded');
  });

  for (const [name, bytes, reason] of CORPUS) {
    it(`refuses ${name}`, () => {
      const got = reasonOf(bytes);
      if (typeof reason === 'string') assert.equal(got, reason);
      else assert.match(got, reason);
    });
  }

  it('refuses every truncation of a real INVITE with DecodeError', () => {
    for (let length = 0; length < FULL_INVITE.length; length++) {
      assert.notEqual(reasonOf(FULL_INVITE.subarray(0, length)), 'decoded', `prefix of ${length}`);
    }
  });
});

describe('decoders on random input', () => {
  const decodeOrDecodeError = (decode: () => unknown) => {
    try {
      decode();
    } catch (error) {
      assert.ok(error instanceof DecodeError, `not a DecodeError: ${String(error)}`);
    }
  };

  it('decodeSipMessage: random bytes give a message or DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => decodeOrDecodeError(() => decodeSipMessage(bytes))),
      { numRuns: 2000 },
    );
  });

  it('decodeSipMessage: mutated real messages give a message or DecodeError', () => {
    const mutation = fc.record({
      at: fc.nat(FULL_INVITE.length - 1),
      byte: fc.integer({ min: 0, max: 255 }),
      cut: fc.nat(40),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        let bytes = FULL_INVITE.slice();
        for (const { at, byte, cut } of mutations) {
          bytes[at % bytes.length] = byte;
          if (cut % 3 === 0) bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + cut)]);
          if (bytes.length === 0) break;
        }
        decodeOrDecodeError(() => decodeSipMessage(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('header value decoders: random text gives a value or DecodeError', () => {
    const decoders = [decodeVia, decodeNameAddr, decodeSipUri, decodeDigestChallenge, decodeDigestCredentials];
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.constantFrom('', 'sip:', 'SIP/2.0/UDP ', '<sip:a@b>', 'Digest '),
        (tail, head) => {
          for (const decode of decoders) decodeOrDecodeError(() => decode(head + tail));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('SipStreamFramer: random bytes in random chunks give messages or DecodeError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 8 }), (chunks) => {
        const framer = new SipStreamFramer({ maxHeaderBytes: 256 });
        decodeOrDecodeError(() => {
          for (const chunk of chunks)
            for (const message of framer.receive(chunk)) decodeOrDecodeError(() => decodeSipMessage(message));
        });
      }),
      { numRuns: 1000 },
    );
  });
});
