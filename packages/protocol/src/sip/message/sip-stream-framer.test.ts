import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { concatBytes } from '../../bits/concat-bytes.js';
import { SipDecodeError } from './sip-decode-error.js';
import { decodeSipMessage, encodeSipMessage } from './sip-message.js';
import { createSipRequest } from './sip-request.js';
import { SipStreamFramer } from './sip-stream-framer.js';

const encoder = new TextEncoder();

function request(cseq: number, body: string): Uint8Array {
  return encodeSipMessage(
    createSipRequest({
      method: 'OPTIONS',
      uri: 'sip:fax@192.0.2.20',
      via: { transport: 'TCP', host: '192.0.2.10', port: 5060, params: new Map([['branch', `z9hG4bK${cseq}`]]) },
      from: { uri: 'sip:pbx@192.0.2.10', params: new Map([['tag', 'a']]) },
      to: { uri: 'sip:fax@192.0.2.20', params: new Map() },
      callId: 'stream@192.0.2.10',
      cseq,
      body: encoder.encode(body),
    }),
  );
}

describe('SipStreamFramer', () => {
  const messages = [request(1, ''), request(2, 'v=0\r\n\r\n\r\nbody with blank lines'), request(3, 'x')];
  // Keep-alive CRLFs between messages are skipped (RFC 5626 §4.4.1 double-CRLF ping).
  const stream = concatBytes([messages[0], encoder.encode('\r\n\r\n'), messages[1], messages[2]]);

  it('cuts messages by Content-Length, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
        const framer = new SipStreamFramer();
        const out: Uint8Array[] = [];
        for (let i = 1; i < points.length; i++) out.push(...framer.receive(stream.subarray(points[i - 1], points[i])));
        assert.deepEqual(out, messages);
        assert.equal(framer.buffered, 0);
      }),
      { numRuns: 300 },
    );
  });

  it('splits at every single offset too', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new SipStreamFramer();
      const out = [...framer.receive(stream.subarray(0, cut)), ...framer.receive(stream.subarray(cut))];
      assert.deepEqual(out, messages, `cut at ${cut}`);
    }
    assert.equal(new TextDecoder().decode(decodeSipMessage(messages[1]).body), 'v=0\r\n\r\n\r\nbody with blank lines');
  });

  it('holds a partial body until it is complete', () => {
    const framer = new SipStreamFramer();
    assert.deepEqual(framer.receive(messages[1].subarray(0, messages[1].length - 3)), []);
    assert.equal(framer.buffered, messages[1].length - 3);
    assert.deepEqual(framer.receive(messages[1].subarray(messages[1].length - 3)), [messages[1]]);
  });

  const framingErrors: [string, string, string][] = [
    [
      'no Content-Length (RFC 3261 §18.3 makes it mandatory on streams)',
      'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n',
      'Missing Content-Length on a stream transport',
    ],
    ['a negative Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n', 'Bad Content-Length'],
    ['a huge Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nl: 4294967296\r\n\r\n', 'Content-Length too large'],
    [
      'two Content-Lengths',
      'OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\n',
      'Duplicate Content-Length header',
    ],
  ];
  for (const [name, text, reason] of framingErrors) {
    it(`refuses a stream with ${name}`, () => {
      const framer = new SipStreamFramer();
      assert.throws(
        () => framer.receive(encoder.encode(text)),
        (error) => error instanceof SipDecodeError && error.reason === reason,
      );
    });
  }

  it('refuses an endless header section instead of buffering it', () => {
    const framer = new SipStreamFramer({ maxHeaderBytes: 1024 });
    assert.deepEqual(framer.receive(encoder.encode(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(900)}\r\n`)), []);
    assert.throws(() => framer.receive(encoder.encode('b'.repeat(200))), SipDecodeError);
  });
});
