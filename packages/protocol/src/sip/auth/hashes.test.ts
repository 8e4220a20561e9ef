import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { md5 } from './md5.js';
import { sha256 } from './sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => new TextEncoder().encode(text);

describe('MD5', () => {
  // RFC 1321 Appendix A.5, the test suite.
  const vectors: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  for (const [input, digest] of vectors) {
    it(`hashes ${JSON.stringify(input.slice(0, 20))} (${input.length} octets) as RFC 1321 gives`, () => {
      assert.equal(hex(md5(ascii(input))), digest);
    });
  }

  it('agrees with node:crypto around the 55/56/64-octet padding boundaries and on random input', () => {
    for (let length = 0; length <= 130; length++) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      assert.equal(hex(md5(input)), createHash('md5').update(input).digest('hex'), `length ${length}`);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        assert.equal(hex(md5(input)), createHash('md5').update(input).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('SHA-256', () => {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf": one block, two blocks) and the million-'a' vector.
  it('hashes "abc"', () => {
    assert.equal(hex(sha256(ascii('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the two-block message', () => {
    assert.equal(
      hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes the empty message and one million "a"', () => {
    assert.equal(hex(sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(
      hex(sha256(new Uint8Array(1_000_000).fill(0x61))),
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto around the padding boundaries and on random input', () => {
    for (let length = 0; length <= 130; length++) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 91 + length) & 0xff);
      assert.equal(hex(sha256(input)), createHash('sha256').update(input).digest('hex'), `length ${length}`);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        assert.equal(hex(sha256(input)), createHash('sha256').update(input).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});
