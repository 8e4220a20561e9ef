import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeCopyQuality } from './copy-quality.js';
import { TcfCheck } from './tcf-check.js';

describe('TcfCheck', () => {
  it('accepts 1.5 s of zeros at 9600 bit/s', () => {
    const check = new TcfCheck();
    check.add(new Uint8Array(1800));
    assert.deepEqual(check.result(9600), { ok: true, bits: 14400, errorBits: 0, longestZeroRun: 14400 });
  });

  it('counts a zero run across chunks and octet boundaries', () => {
    const check = new TcfCheck();
    // 0x01 ends a 7-bit run; the 24 zero bits before 0x80 are the longest run; 0x80 starts a new one after its 1.
    check.add(Uint8Array.of(0x01, 0, 0));
    check.add(Uint8Array.of(0, 0x80, 0));
    assert.deepEqual(check.result(40), { ok: false, bits: 48, errorBits: 2, longestZeroRun: 24 });
  });

  it('rejects errors spread so that no second is clean', () => {
    const check = new TcfCheck();
    const data = new Uint8Array(2700);
    for (let i = 0; i < data.length; i += 1700) data[i] = 0x10;
    check.add(data);
    assert.equal(check.result(14400).ok, false);
    const late = new TcfCheck();
    late.add(Uint8Array.of(0xff, ...new Uint8Array(1800)));
    assert.equal(late.result(14400).ok, true, 'a damaged start with a clean second after it passes');
  });
});

describe('judgeCopyQuality', () => {
  const cases = [
    [{ rows: 1000, badRows: 0, consecutiveBadRows: 0 }, 'MCF'],
    [{ rows: 1000, badRows: 20, consecutiveBadRows: 8 }, 'MCF'],
    [{ rows: 1000, badRows: 20, consecutiveBadRows: 9 }, 'RTP'],
    [{ rows: 1000, badRows: 100, consecutiveBadRows: 32 }, 'RTP'],
    [{ rows: 1000, badRows: 101, consecutiveBadRows: 1 }, 'RTN'],
    [{ rows: 1000, badRows: 40, consecutiveBadRows: 33 }, 'RTN'],
    [{ rows: 0, badRows: 0, consecutiveBadRows: 0 }, 'RTN'],
  ] as const;
  for (const [quality, verdict] of cases) {
    it(`answers ${verdict} for ${quality.badRows}/${quality.rows} bad rows, run ${quality.consecutiveBadRows}`, () => {
      assert.equal(judgeCopyQuality(quality), verdict);
    });
  }
});
