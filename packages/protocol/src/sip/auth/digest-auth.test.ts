import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import {
  chooseDigestChallenge,
  createDigestCredentials,
  type DigestChallenge,
  decodeDigestChallenge,
  decodeDigestCredentials,
  digestResponse,
  encodeDigestChallenge,
  encodeDigestCredentials,
  verifyDigestCredentials,
} from './digest-auth.js';

describe('digest response vectors', () => {
  it('computes the RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    const challenge = decodeDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const credentials = createDigestCredentials(challenge, {
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
    });
    assert.equal(credentials.response, '6629fae49393a05397450978507c4ef1');
    assert.equal(credentials.qop, 'auth');
    assert.equal(credentials.nc, '00000001');
    assert.equal(credentials.opaque, '5ccc069c403ebaf9f0171e9517f40e41');
  });

  // RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
  const rfc7616 = (algorithm: string): DigestChallenge =>
    decodeDigestChallenge(
      `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  const rfc7616Options = {
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  it('computes the RFC 7616 §3.9.1 MD5 response', () => {
    const credentials = createDigestCredentials(rfc7616('MD5'), rfc7616Options);
    assert.equal(credentials.response, '8ca523f5e9506fed4657c9700eebdbec');
  });

  it('computes the RFC 7616 §3.9.1 SHA-256 response', () => {
    const credentials = createDigestCredentials(rfc7616('SHA-256'), rfc7616Options);
    assert.equal(credentials.response, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    assert.equal(credentials.algorithm, 'SHA-256');
  });

  it('computes the RFC 2069 form when the challenge offers no qop', () => {
    const challenge = decodeDigestChallenge(
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
    );
    const credentials = createDigestCredentials(challenge, {
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
    });
    // H(H(A1):nonce:H(A2)) with MD5, worked out independently with node:crypto.
    assert.equal(credentials.qop, undefined);
    assert.equal(credentials.response, '670fd8c2df070c60b045671b8b24ff02');
  });
});

describe('digest header syntax', () => {
  it('reads a SIP challenge as Asterisk sends it, and writes it back', () => {
    const value = 'Digest  algorithm=MD5, realm="asterisk",nonce="1a2b3c4d"';
    const challenge = decodeDigestChallenge(value);
    assert.deepEqual(challenge, { realm: 'asterisk', nonce: '1a2b3c4d', algorithm: 'MD5', qop: [], stale: false });
    assert.deepEqual(decodeDigestChallenge(encodeDigestChallenge(challenge)), challenge);
  });

  it('reads stale=TRUE, quoted commas and escaped quotes', () => {
    const challenge = decodeDigestChallenge('Digest realm="a, \\"b\\"", nonce="n", stale=TRUE, algorithm=sha-256');
    assert.equal(challenge.realm, 'a, "b"');
    assert.equal(challenge.stale, true);
    assert.equal(challenge.algorithm, 'SHA-256');
  });

  it('picks the topmost supported challenge (RFC 8760 §2.4)', () => {
    const challenges = [
      decodeDigestChallenge('Digest realm="r", nonce="1", algorithm=SHA-512-256'),
      decodeDigestChallenge('Digest realm="r", nonce="2", algorithm=SHA-256'),
      decodeDigestChallenge('Digest realm="r", nonce="3", algorithm=MD5'),
    ];
    assert.equal(chooseDigestChallenge(challenges)?.nonce, '2');
    assert.equal(chooseDigestChallenge(challenges.slice(0, 1)), undefined);
  });

  it('round-trips credentials, quoting all but qop, nc and algorithm', () => {
    const challenge = decodeDigestChallenge('Digest realm="sip.example", nonce="abc", qop="auth", algorithm=SHA-256');
    const credentials = createDigestCredentials(challenge, {
      username: 'fax',
      password: 'secret',
      method: 'REGISTER',
      uri: 'sip:sip.example',
      cnonce: 'c0ffee',
      nonceCount: 2,
    });
    const text = encodeDigestCredentials(credentials);
    assert.match(
      text,
      /^Digest username="fax", realm="sip.example", nonce="abc", uri="sip:sip.example", response="[0-9a-f]{64}", algorithm=SHA-256, cnonce="c0ffee", qop=auth, nc=00000002$/,
    );
    assert.deepEqual(decodeDigestCredentials(text), credentials);
  });

  it('throws DecodeError for malformed challenges and credentials, nothing else', () => {
    for (const bad of [
      '',
      'Digest',
      'Digest realm',
      'Digest realm="x',
      'Digest realm="r"',
      'Basic realm="r", nonce="n"',
      'Digest realm="r",, nonce=',
    ]) {
      assert.throws(() => decodeDigestChallenge(bad), DecodeError, bad);
    }
    assert.throws(() => decodeDigestCredentials('Digest username="a", realm="r"'), DecodeError);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        for (const decode of [decodeDigestChallenge, decodeDigestCredentials]) {
          try {
            decode(`Digest ${text}`);
          } catch (error) {
            assert.ok(error instanceof DecodeError, String(error));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('digest verification (server side)', () => {
  const challenge: DigestChallenge = {
    realm: 'faxd',
    nonce: 'n0nce',
    algorithm: 'SHA-256',
    qop: ['auth'],
    stale: false,
  };
  const request = { method: 'INVITE', uri: 'sip:5550100@faxd.example' };
  const credentials = createDigestCredentials(challenge, { ...request, username: 'pbx', password: 'pw', cnonce: 'cn' });

  it('accepts the right password and refuses a wrong one, another nonce or realm, or another method', () => {
    const parsed = decodeDigestCredentials(encodeDigestCredentials(credentials));
    assert.equal(verifyDigestCredentials(parsed, { ...request, password: 'pw', realm: 'faxd', nonce: 'n0nce' }), true);
    assert.equal(verifyDigestCredentials(parsed, { ...request, password: 'pW' }), false);
    assert.equal(verifyDigestCredentials(parsed, { ...request, password: 'pw', nonce: 'other' }), false);
    assert.equal(verifyDigestCredentials(parsed, { ...request, password: 'pw', realm: 'other' }), false);
    assert.equal(verifyDigestCredentials(parsed, { method: 'BYE', uri: request.uri, password: 'pw' }), false);
  });

  it('verifies MD5-sess and auth-int responses built by the client side', () => {
    const body = new TextEncoder().encode('v=0\r\n');
    const sess: DigestChallenge = { realm: 'r', nonce: 'n', algorithm: 'MD5-sess', qop: ['auth-int'], stale: false };
    const answer = createDigestCredentials(sess, { ...request, body, username: 'u', password: 'p', cnonce: 'c' });
    assert.equal(answer.qop, 'auth-int');
    assert.equal(verifyDigestCredentials(answer, { ...request, body, password: 'p' }), true);
    assert.equal(verifyDigestCredentials(answer, { ...request, body: new Uint8Array(1), password: 'p' }), false);
    assert.equal(digestResponse(answer, 'p', { ...request, body }), answer.response);
  });
});
