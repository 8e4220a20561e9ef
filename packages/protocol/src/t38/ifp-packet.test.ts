import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../bits/decode-error.js';
import {
  decodeIfpPacket,
  encodeIfpPacket,
  IFP_FIELD_TYPES,
  type IfpField,
  type IfpPacket,
  T30_DATA_TYPES,
  T30_INDICATORS,
} from './ifp-packet.js';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((octet) => Number.parseInt(octet, 16)));
const show = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

function both(packet: IfpPacket, bytes: string, version = 0): void {
  assert.equal(show(encodeIfpPacket(packet, { version })), bytes);
  assert.deepEqual(decodeIfpPacket(hex(bytes), { version }), packet);
}

describe('IFP packet vectors', () => {
  it('encodes and decodes indicators as value << 1', () => {
    both({ type: 't30-indicator', indicator: 'no-signal' }, '00');
    both({ type: 't30-indicator', indicator: 'cng' }, '02');
    both({ type: 't30-indicator', indicator: 'ced' }, '04');
    both({ type: 't30-indicator', indicator: 'v21-preamble' }, '06');
    both({ type: 't30-indicator', indicator: 'v17-14400-long-training' }, '1e');
  });

  it('encodes the observed SpanDSP V.21 HDLC packets (version 0)', () => {
    both(
      { type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'hdlc-data', data: hex('ff') }] },
      'c0 01 80 00 00 ff',
    );
    both({ type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'hdlc-fcs-OK' }] }, 'c0 01 20');
    both({ type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'hdlc-fcs-OK-sig-end' }] }, 'c0 01 40');
  });

  it('puts the data type in bits 4..1 (V.17 14400 = 0xD0) and drops the data-field when there are no fields', () => {
    both(
      { type: 't30-data', dataType: 'v17-14400', fields: [{ fieldType: 't4-non-ecm-data', data: hex('12 34') }] },
      'd0 01 e0 00 01 12 34',
    );
    both({ type: 't30-data', dataType: 'v29-9600', fields: [] }, '48');
  });

  it('packs data-less fields into half octets in version 0', () => {
    const packet: IfpPacket = {
      type: 't30-data',
      dataType: 'v21',
      fields: [
        { fieldType: 'hdlc-data', data: hex('ff 13') },
        { fieldType: 'hdlc-fcs-OK' },
        { fieldType: 'hdlc-sig-end' },
        { fieldType: 'hdlc-fcs-BAD' },
        { fieldType: 'hdlc-data', data: hex('c8') },
      ],
    };
    // fcs-OK + sig-end share 0x21; fcs-BAD then hdlc-data-with-data share 0x38 and the length follows aligned.
    both(packet, 'c0 05 80 00 01 ff 13 21 38 00 00 c8');
  });

  it('gives each field its own octet with type << 3 in version 1 and later', () => {
    const packet: IfpPacket = {
      type: 't30-data',
      dataType: 'v21',
      fields: [
        { fieldType: 'hdlc-data', data: hex('ff') },
        { fieldType: 'hdlc-fcs-OK' },
        { fieldType: 'hdlc-sig-end' },
      ],
    };
    both(packet, 'c0 03 80 00 00 ff 10 08', 1);
    both(packet, 'c0 03 80 00 00 ff 21', 0);
  });

  it('reads the same octet differently per version (0x20: fcs-OK in v0, fcs-OK-sig-end in v1+)', () => {
    const [v0, v1] = [0, 2].map((version) => decodeIfpPacket(hex('c0 01 20'), { version }));
    assert.deepEqual(v0, { type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'hdlc-fcs-OK' }] });
    assert.deepEqual(v1, { type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'hdlc-fcs-OK-sig-end' }] });
  });

  it('uses the extension bit for 2002 values and refuses them in version 0', () => {
    both({ type: 't30-indicator', indicator: 'v8-ansam' }, '20 00', 1);
    both({ type: 't30-indicator', indicator: 'v33-14400-training' }, '21 80', 1);
    both({ type: 't30-data', dataType: 'v33-14400', fields: [] }, '61 40', 3);
    both(
      { type: 't30-data', dataType: 'v8', fields: [{ fieldType: 'cm-message', data: hex('01') }] },
      'e0 00 01 c0 00 00 00 01',
      1,
    );
    both({ type: 't30-data', dataType: 'v8', fields: [{ fieldType: 'v34rate' }] }, 'e0 00 01 40 c0', 1);
    assert.throws(() => encodeIfpPacket({ type: 't30-indicator', indicator: 'v8-ansam' }), RangeError);
    assert.throws(
      () => encodeIfpPacket({ type: 't30-data', dataType: 'v21', fields: [{ fieldType: 'ci-message' }] }),
      RangeError,
    );
  });

  it('uses the two-octet count for 128 fields or more', () => {
    const fields: IfpField[] = Array.from({ length: 130 }, () => ({ fieldType: 't4-non-ecm-data', data: hex('00') }));
    const bytes = encodeIfpPacket({ type: 't30-data', dataType: 'v27-4800', fields });
    assert.equal(show(bytes.subarray(0, 4)), 'c4 80 82 e0');
    assert.equal(bytes.length, 3 + 130 * 4);
  });

  it('rejects malformed packets with DecodeError', () => {
    for (const bad of [
      '',
      '80',
      'c0',
      'c0 01',
      'c0 01 80 00',
      'c0 01 80 00 01 ff',
      '00 00',
      '20',
      '3e',
      'c0 01 20 00',
      'fe',
    ]) {
      assert.throws(() => decodeIfpPacket(bad === '' ? new Uint8Array() : hex(bad), { version: 0 }), DecodeError, bad);
    }
  });
});

function arbitraryPacket(version: number): fc.Arbitrary<IfpPacket> {
  const extended = version > 0;
  const fieldType = fc.constantFrom(...IFP_FIELD_TYPES.slice(0, extended ? undefined : 8));
  const field: fc.Arbitrary<IfpField> = fc
    .record({ fieldType, data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }) })
    .map(({ fieldType, data }) => (data === undefined ? { fieldType } : { fieldType, data }));
  return fc.oneof(
    fc
      .record({
        type: fc.constant('t30-indicator' as const),
        indicator: fc.constantFrom(...T30_INDICATORS.slice(0, extended ? undefined : 16)),
      })
      .map((packet) => ({ ...packet })),
    fc
      .record({
        type: fc.constant('t30-data' as const),
        dataType: fc.constantFrom(...T30_DATA_TYPES.slice(0, extended ? undefined : 9)),
        fields: fc.array(field, { maxLength: 12 }),
      })
      .map((packet) => ({ ...packet })),
  );
}

function decodesOrThrowsDecodeError(bytes: Uint8Array, version: number): void {
  try {
    decodeIfpPacket(bytes, { version });
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
}

describe('IFP packet properties', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`decode(encode(p)) = p in version ${version}`, () => {
      fc.assert(
        fc.property(arbitraryPacket(version), (packet) => {
          assert.deepEqual(decodeIfpPacket(encodeIfpPacket(packet, { version }), { version }), packet);
        }),
        { numRuns: 500 },
      );
    });

    it(`random and mutated bytes yield a packet or DecodeError in version ${version}`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 30 }), (bytes) => decodesOrThrowsDecodeError(bytes, version)),
        { numRuns: 1000 },
      );
      fc.assert(
        fc.property(
          arbitraryPacket(version),
          fc.nat(),
          fc.integer({ min: 0, max: 255 }),
          fc.nat(),
          (p, at, value, cut) => {
            const bytes = encodeIfpPacket(p, { version });
            bytes[at % bytes.length] = value;
            decodesOrThrowsDecodeError(bytes.subarray(0, cut % (bytes.length + 1)), version);
            decodesOrThrowsDecodeError(bytes, version);
          },
        ),
        { numRuns: 1000 },
      );
    });
  }
});
