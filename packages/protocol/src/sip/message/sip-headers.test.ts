import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCSeq, encodeCSeq } from './cseq.js';
import { decodeNameAddr, encodeNameAddr, tagOf } from './name-addr.js';
import { SipDecodeError } from './sip-decode-error.js';
import { canonicalHeaderName, isListHeader } from './sip-headers.js';
import { decodeSipUri, encodeSipUri } from './sip-uri.js';
import { branchOf, decodeVia, encodeVia } from './via.js';

describe('header names', () => {
  it('expands compact forms and spells names the usual way (RFC 3261 §7.3.3)', () => {
    const names = [
      'i',
      'M',
      'e',
      'l',
      'c',
      'f',
      's',
      'k',
      't',
      'v',
      'x',
      'call-id',
      'CSEQ',
      'www-authenticate',
      'max-forwards',
      'X-Custom-thing',
    ];
    assert.deepEqual(names.map(canonicalHeaderName), [
      'Call-ID',
      'Contact',
      'Content-Encoding',
      'Content-Length',
      'Content-Type',
      'From',
      'Subject',
      'Supported',
      'To',
      'Via',
      'Session-Expires',
      'Call-ID',
      'CSeq',
      'WWW-Authenticate',
      'Max-Forwards',
      'X-Custom-Thing',
    ]);
    assert.equal(isListHeader('v'), true);
    assert.equal(isListHeader('Authorization'), false);
  });
});

describe('SIP URIs (RFC 3261 §19.1)', () => {
  it('reads user, password, host, port, parameters and headers', () => {
    const uri = decodeSipUri('SIP:+15550100;npdi@gw.example.com:5080;transport=tcp;lr?Subject=fax');
    assert.equal(uri.scheme, 'sip');
    assert.equal(uri.user, '+15550100;npdi');
    assert.equal(uri.host, 'gw.example.com');
    assert.equal(uri.port, 5080);
    assert.deepEqual(
      [...uri.params],
      [
        ['transport', 'tcp'],
        ['lr', null],
      ],
    );
    assert.equal(uri.headers, 'Subject=fax');
    assert.equal(encodeSipUri(uri), 'sip:+15550100;npdi@gw.example.com:5080;transport=tcp;lr?Subject=fax');
  });

  it('reads IPv6 references and user:password', () => {
    const uri = decodeSipUri('sips:fax:secret@[2001:db8::20]:5061');
    assert.deepEqual(
      { user: uri.user, password: uri.password, host: uri.host, port: uri.port },
      { user: 'fax', password: 'secret', host: '[2001:db8::20]', port: 5061 },
    );
  });

  it('refuses other schemes and bad hosts', () => {
    for (const bad of ['tel:+15550100', 'sip:', 'sip:a@', 'sip:a@b:x', 'sip:a@[::1', 'sip:a@b c', 'sip:a@b;=x']) {
      assert.throws(() => decodeSipUri(bad), SipDecodeError, bad);
    }
  });
});

describe('name-addr and addr-spec (RFC 3261 §20.10)', () => {
  it('reads quoted display names with escapes and < inside', () => {
    const value = decodeNameAddr('"Fax \\"<1>\\" line" <sip:fax@example.com;transport=udp>;tag=abc;expires=60');
    assert.equal(value.displayName, 'Fax "<1>" line');
    assert.equal(value.uri, 'sip:fax@example.com;transport=udp');
    assert.equal(tagOf(value), 'abc');
    assert.equal(value.params.get('expires'), '60');
    assert.deepEqual(decodeNameAddr(encodeNameAddr(value)), value);
  });

  it('treats parameters after a bare addr-spec as header parameters', () => {
    const value = decodeNameAddr('sip:5550100@example.com;tag=88sja8x');
    assert.equal(value.uri, 'sip:5550100@example.com');
    assert.equal(tagOf(value), '88sja8x');
    assert.equal(encodeNameAddr(value), '<sip:5550100@example.com>;tag=88sja8x');
  });

  it('reads unquoted display names', () => {
    assert.equal(decodeNameAddr('Front Desk <sip:a@b>').displayName, 'Front Desk');
  });
});

describe('Via (RFC 3261 §20.42, RFC 3581)', () => {
  it('reads spaces around the slashes, branch, received and rport', () => {
    const via = decodeVia(
      'SIP / 2.0 / udp 192.0.2.1:5060 ; branch=z9hG4bK77ef4c2312983.1 ;received=198.51.100.7;rport=40000',
    );
    assert.equal(via.transport, 'UDP');
    assert.equal(via.host, '192.0.2.1');
    assert.equal(via.port, 5060);
    assert.equal(branchOf(via), 'z9hG4bK77ef4c2312983.1');
    assert.equal(via.params.get('received'), '198.51.100.7');
    assert.equal(via.params.get('rport'), '40000');
    assert.equal(
      encodeVia(via),
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK77ef4c2312983.1;received=198.51.100.7;rport=40000',
    );
  });
});

describe('CSeq (RFC 3261 §20.16)', () => {
  it('reads and writes number and method', () => {
    assert.deepEqual(decodeCSeq(' 4711   REGISTER '), { seq: 4711, method: 'REGISTER' });
    assert.equal(encodeCSeq({ seq: 1, method: 'ACK' }), '1 ACK');
  });
});
