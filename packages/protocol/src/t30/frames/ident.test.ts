import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { reverseOctets } from '../../hdlc/bit-order.js';
import { decodeIdent, encodeIdent } from './ident.js';

const ascii = (text: string) => [...new TextEncoder().encode(text)];

describe('identification field', () => {
  it('sends "RECEIVER" last character first, spaces after, as the reference capture shows', () => {
    const field = encodeIdent('RECEIVER');
    assert.equal(field.length, 20);
    // The capture is LSB-first (SpanDSP's log); faxd stores each octet bit-reversed.
    assert.deepEqual(
      [...reverseOctets(field)],
      [0x52, 0x45, 0x56, 0x49, 0x45, 0x43, 0x45, 0x52, ...ascii(' '.repeat(12))],
    );
    assert.deepEqual([...field.subarray(0, 2)], [0x4a, 0xa2]);
    assert.equal(decodeIdent(field), 'RECEIVER');
  });

  it('keeps a full 20-character number and inner spaces', () => {
    assert.equal(decodeIdent(encodeIdent('+1 555 0100 1234 567')), '+1 555 0100 1234 567');
    assert.equal(decodeIdent(encodeIdent('')), '');
  });

  it('refuses to encode more than 20 characters or non-printable ones', () => {
    assert.throws(() => encodeIdent('123456789012345678901'), /longer than 20/);
    assert.throws(() => encodeIdent('caf\u00e9'), /printable ASCII/);
    assert.throws(() => encodeIdent('a\nb'), /printable ASCII/);
  });

  it('decodes short, NUL-padded and noisy fields without failing', () => {
    assert.equal(decodeIdent(reverseOctets(Uint8Array.from(ascii('4321')))), '1234');
    assert.equal(decodeIdent(reverseOctets(Uint8Array.of(...ascii('21'), 0, 0, 0))), '12');
    assert.equal(decodeIdent(reverseOctets(Uint8Array.of(...ascii('2'), 0x07, ...ascii('1')))), '1 2');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => typeof decodeIdent(bytes) === 'string'));
  });

  it('round-trips printable identities without outer spaces', () => {
    const printable = fc.string({
      maxLength: 20,
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(printable, (text) => {
        assert.equal(decodeIdent(encodeIdent(text)), text.trim());
      }),
    );
  });
});
