import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../bits/decode-error.js';
import { reverseOctets } from '../../hdlc/bit-order.js';
import { encodeHdlcBurst, HdlcDeframer } from '../../hdlc/bit-stuffing.js';
import { decodeDcs, decodeDis } from './dis-dcs.js';
import { decodeT30Frame, encodeT30Frame, type T30Frame } from './t30-frame.js';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((octet) => Number.parseInt(octet, 16)));

const DIS_FRAME = hex('FF C8 01 20 77 1F 23 01 89 01 01 01 18');

describe('T.30 frames', () => {
  it('decodes the reference DIS frame (FF C8 01 ..., LSB-first FF 13 80 ...)', () => {
    assert.deepEqual(reverseOctets(DIS_FRAME).subarray(0, 3), hex('FF 13 80'));
    const received = decodeT30Frame(DIS_FRAME);
    assert.equal(received.final, true);
    assert.equal(received.xBit, false);
    assert.equal(received.frame.type, 'DIS');
    assert.deepEqual(received.frame, { type: 'DIS', dis: decodeDis(DIS_FRAME.subarray(3)) });
    assert.deepEqual(encodeT30Frame(received.frame), DIS_FRAME);
  });

  it('encodes the TSB-85 wire forms of CFR, CSI and a DCS sent by the caller', () => {
    assert.deepEqual(encodeT30Frame({ type: 'CFR' }), hex('FF C8 21'));
    assert.deepEqual(encodeT30Frame({ type: 'CSI', ident: '' }, { final: false }).subarray(0, 3), hex('FF C0 02'));
    const dcs = decodeDcs(hex('00 46 1F 22'));
    const frame = encodeT30Frame({ type: 'DCS', dcs }, { xBit: true });
    assert.deepEqual(frame, hex('FF C8 C1 00 46 1F 22'));
    assert.deepEqual(decodeT30Frame(frame), { frame: { type: 'DCS', dcs }, final: true, xBit: true });
  });

  it('decodes a PPS-EOP from the LSB-first log line ff 13 bf 2f 00 00 a4', () => {
    const frame = reverseOctets(hex('ff 13 bf 2f 00 00 a4'));
    const received = decodeT30Frame(frame);
    assert.deepEqual(received, {
      frame: { type: 'PPS', pps: { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 165 } },
      final: true,
      xBit: true,
    });
    assert.deepEqual(encodeT30Frame(received.frame, { xBit: true }), frame);
  });

  it('round-trips one frame of every kind', () => {
    const frames: T30Frame[] = [
      { type: 'DTC', dis: decodeDis(DIS_FRAME.subarray(3)) },
      { type: 'TSI', ident: '+49 30 1234567' },
      { type: 'SUB', ident: '1234' },
      { type: 'NSF', fif: hex('00 00 0E 01 02 03') },
      { type: 'PPR', frames: [3, 17, 200] },
      { type: 'CTC', rate: { modem: 'v29', bitRate: 7200 } },
      { type: 'EOR', command: 'PRI-MPS' },
      { type: 'FCD', frameNumber: 42, data: new Uint8Array(64).fill(0x5a) },
      { type: 'RCP' },
      { type: 'MCF' },
      { type: 'DCN' },
      { type: 'PRI-EOP' },
    ];
    for (const frame of frames) {
      for (const xBit of [false, true]) {
        const received = decodeT30Frame(encodeT30Frame(frame, { final: false, xBit }));
        assert.deepEqual(received.frame, frame, frame.type);
        assert.equal(received.final, false);
      }
    }
  });

  it('rejects a wrong address, a control field in LSB-first form and unassigned FCFs', () => {
    assert.throws(() => decodeT30Frame(hex('FE C8 21')), /address/);
    assert.throws(() => decodeT30Frame(hex('FF 13 21')), /control/);
    assert.throws(() => decodeT30Frame(hex('FF C8 03')), /FCF/);
    assert.throws(() => decodeT30Frame(hex('FF C8')), DecodeError);
  });

  it('ignores stray octets after a signal without information', () => {
    assert.deepEqual(decodeT30Frame(hex('FF C8 31 00')).frame, { type: 'MCF' });
  });

  it('survives HDLC framing: NSF, CSI, DIS as one burst', () => {
    const burst = [
      encodeT30Frame({ type: 'NSF', fif: hex('00 00 0E 00') }, { final: false }),
      encodeT30Frame({ type: 'CSI', ident: '+1 555 0100' }, { final: false }),
      DIS_FRAME,
    ];
    const received = new HdlcDeframer().receive(encodeHdlcBurst(burst, 10));
    assert.ok(received.every((f) => f.fcsOk));
    assert.deepEqual(
      received.map((f) => decodeT30Frame(f.bytes).frame.type),
      ['NSF', 'CSI', 'DIS'],
    );
    assert.equal((decodeT30Frame(received[1].bytes).frame as { ident: string }).ident, '+1 555 0100');
  });

  it('throws DecodeError, and nothing else, on random bytes', () => {
    const header = fc.constantFrom(hex('FF C8'), hex('FF C0'));
    const randomFrame = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .tuple(header, fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
        .map(([head, fcf, fif]) => Uint8Array.of(...head, fcf, ...fif)),
    );
    fc.assert(
      fc.property(randomFrame, (bytes) => {
        try {
          decodeT30Frame(bytes);
        } catch (error) {
          assert.ok(error instanceof DecodeError, String(error));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
