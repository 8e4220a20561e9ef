import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../bits/decode-error.js';
import { tagOf } from './name-addr.js';
import { SipDecodeError } from './sip-decode-error.js';
import { callIdOf, cseqOf, fromOf, maxForwardsOf, toOf, topViaOf, viasOf } from './sip-fields.js';
import { headerValue, headerValues } from './sip-headers.js';
import { decodeSipMessage, encodeSipMessage } from './sip-message.js';
import type { SipRequest } from './sip-message-types.js';
import { createSipResponse, reasonPhrase } from './sip-response.js';

const text = (value: string) => new TextEncoder().encode(value);
const crlf = (lines: string[]) => text(lines.join('\r\n'));

const SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=image 4000 udptl t38\r\n';

/** An INVITE shaped like a PBX's, with compact forms, mixed case names, a folded line and a two-value Via. */
const PBX_INVITE = crlf([
  'INVITE sip:5550100@192.0.2.20:5060 SIP/2.0',
  'v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnashds8',
  'max-forwards: 70',
  'f: "Front Desk" <sip:5550199@192.0.2.10>;tag=1928301774',
  't: <sip:5550100@192.0.2.20>',
  'i: a84b4c76e66710@192.0.2.10',
  'CSEQ: 314159 INVITE',
  'm: <sip:5550199@192.0.2.10:5060>',
  'Allow: INVITE, ACK, CANCEL,',
  ' OPTIONS, BYE',
  'c: application/sdp',
  `l: ${SDP.length}`,
  '',
  SDP,
]);

describe('decoding SIP messages', () => {
  it('reads a PBX INVITE: compact forms, folded list, header lookup in any case', () => {
    const message = decodeSipMessage(PBX_INVITE) as SipRequest;
    assert.equal(message.kind, 'request');
    assert.equal(message.method, 'INVITE');
    assert.equal(message.uri, 'sip:5550100@192.0.2.20:5060');
    assert.deepEqual(headerValues(message.headers, 'allow'), ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE']);
    assert.equal(headerValue(message.headers, 'content-type'), 'application/sdp');
    assert.equal(headerValue(message.headers, 'c'), 'application/sdp');
    assert.equal(new TextDecoder().decode(message.body), SDP);
    assert.equal(callIdOf(message), 'a84b4c76e66710@192.0.2.10');
    assert.deepEqual(cseqOf(message), { seq: 314159, method: 'INVITE' });
    assert.equal(maxForwardsOf(message), 70);
    const from = fromOf(message);
    assert.equal(from.displayName, 'Front Desk');
    assert.equal(from.uri, 'sip:5550199@192.0.2.10');
    assert.equal(tagOf(from), '1928301774');
    assert.equal(tagOf(toOf(message)), undefined);
    const vias = viasOf(message);
    assert.equal(vias.length, 2);
    assert.deepEqual(
      { transport: vias[0].transport, host: vias[0].host, port: vias[0].port },
      { transport: 'UDP', host: '192.0.2.10', port: 5060 },
    );
    assert.equal(vias[0].params.get('branch'), 'z9hG4bK776asdhds');
    assert.equal(vias[0].params.get('rport'), null);
    assert.equal(topViaOf(message).params.get('branch'), 'z9hG4bK776asdhds');
  });

  it('reads a response with an empty reason phrase and no body', () => {
    const message = decodeSipMessage(
      crlf([
        'SIP/2.0 200 ',
        'Via: SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKa;received=2001:db8::9',
        'From: <sip:a@example.com>;tag=1',
        'To: sip:b@example.com;tag=2',
        'Call-ID: x',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ]),
    );
    assert.equal(message.kind, 'response');
    assert.equal(message.kind === 'response' && message.status, 200);
    assert.equal(message.kind === 'response' && message.reason, '');
    const via = topViaOf(message);
    assert.equal(via.host, '[2001:db8::1]');
    assert.equal(via.port, 5070);
    assert.equal(via.params.get('received'), '2001:db8::9');
    assert.equal(tagOf(toOf(message)), '2');
    assert.equal(message.body.length, 0);
  });

  it('takes the rest of a datagram as the body when Content-Length is absent, and drops octets past it (RFC 3261 §18.3)', () => {
    const without = decodeSipMessage(
      crlf([
        'OPTIONS sip:x@y SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
        'From: <sip:a@b>;tag=1',
        'To: <sip:x@y>',
        'Call-ID: c',
        'CSeq: 2 OPTIONS',
        '',
        'hello',
      ]),
    );
    assert.equal(new TextDecoder().decode(without.body), 'hello');
    const longer = decodeSipMessage(
      crlf([
        'OPTIONS sip:x@y SIP/2.0',
        'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
        'From: <sip:a@b>;tag=1',
        'To: <sip:x@y>',
        'Call-ID: c',
        'CSeq: 2 OPTIONS',
        'Content-Length: 3',
        '',
        'hello',
      ]),
    );
    assert.equal(new TextDecoder().decode(longer.body), 'hel');
  });

  it('ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
    const bytes = new Uint8Array([13, 10, 13, 10, ...PBX_INVITE]);
    assert.equal(decodeSipMessage(bytes).kind, 'request');
  });
});

describe('encoding SIP messages', () => {
  it('round-trips the PBX INVITE to full header names with the right Content-Length', () => {
    const message = decodeSipMessage(PBX_INVITE);
    const encoded = encodeSipMessage(message);
    const lines = new TextDecoder().decode(encoded).split('\r\n');
    assert.equal(lines[0], 'INVITE sip:5550100@192.0.2.20:5060 SIP/2.0');
    assert.equal(lines[1], 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport');
    assert.equal(lines[2], 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnashds8');
    assert.ok(lines.includes('Call-ID: a84b4c76e66710@192.0.2.10'));
    assert.ok(lines.includes('CSeq: 314159 INVITE'));
    assert.ok(lines.includes(`Content-Length: ${SDP.length}`));
    assert.deepEqual(decodeSipMessage(encoded), {
      ...message,
      headers: message.headers
        .filter((h) => h.name !== 'Content-Length')
        .concat({ name: 'Content-Length', value: String(SDP.length) }),
    });
  });

  it('refuses to encode header values that would inject lines', () => {
    const message = decodeSipMessage(PBX_INVITE);
    const injected = {
      ...message,
      headers: [...message.headers, { name: 'Subject', value: 'x\r\nVia: SIP/2.0/UDP evil' }],
    };
    assert.throws(() => encodeSipMessage(injected), RangeError);
    assert.throws(() => encodeSipMessage({ ...message, headers: [{ name: 'Bad Name', value: 'x' }] }), RangeError);
  });
});

describe('building responses', () => {
  it('copies Via (all, in order), From, To, Call-ID and CSeq and adds the To tag (RFC 3261 §8.2.6.2)', () => {
    const invite = decodeSipMessage(PBX_INVITE) as SipRequest;
    const ringing = createSipResponse(invite, 180, { toTag: 'fax1' });
    assert.equal(ringing.reason, 'Ringing');
    assert.deepEqual(
      ringing.headers.map((h) => `${h.name}: ${h.value}`),
      [
        'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnashds8',
        'From: "Front Desk" <sip:5550199@192.0.2.10>;tag=1928301774',
        'To: <sip:5550100@192.0.2.20>;tag=fax1',
        'Call-ID: a84b4c76e66710@192.0.2.10',
        'CSeq: 314159 INVITE',
      ],
    );
    const trying = createSipResponse(invite, 100, { toTag: 'fax1' });
    assert.equal(headerValue(trying.headers, 'To'), '<sip:5550100@192.0.2.20>');
    const decoded = decodeSipMessage(encodeSipMessage(ringing));
    assert.equal(decoded.kind === 'response' && decoded.status, 180);
  });

  it('knows the reason phrases a fax line uses', () => {
    assert.equal(reasonPhrase(486), 'Busy Here');
    assert.equal(reasonPhrase(488), 'Not Acceptable Here');
    assert.equal(reasonPhrase(491), 'Request Pending');
    assert.equal(reasonPhrase(499), 'Client Error');
  });
});

describe('SipDecodeError', () => {
  it('is a DecodeError with a short reason and the readable part of the message', () => {
    const bytes = text(new TextDecoder().decode(PBX_INVITE).replace('CSEQ: 314159 INVITE', 'CSeq: 314159 BYE'));
    try {
      decodeSipMessage(bytes);
      assert.fail('decoded');
    } catch (error) {
      assert.ok(error instanceof DecodeError);
      assert.ok(error instanceof SipDecodeError);
      assert.equal(error.reason, 'CSeq method does not match the request');
      assert.equal(error.partial?.kind, 'request');
      // A UAS can answer the partial request with 400 and the reason.
      const reply = createSipResponse(error.partial as SipRequest, 400, { reason: error.reason });
      assert.equal(headerValue(reply.headers, 'Call-ID'), 'a84b4c76e66710@192.0.2.10');
    }
  });
});
