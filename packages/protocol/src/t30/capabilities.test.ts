import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { type Incompatible, negotiate, nextLowerRate, RATE_FALLBACK_ORDER } from './capabilities.js';
import type { Dcs, Dis } from './frames/dis-dcs.js';

/** A G3 machine with V.17, fine, MR/MMR and ECM, ready to receive. */
const FULL: Dis = g3Capabilities({ minScanLineTime: 20, flags: new Set(['readyToReceive']) });

function dcsOf(result: Dcs | Incompatible): Dcs {
  assert.ok(!('incompatible' in result), `incompatible: ${'incompatible' in result ? result.incompatible : ''}`);
  return result;
}

describe('negotiate', () => {
  it('picks the best of everything when both ends have it', () => {
    const dcs = dcsOf(negotiate(FULL, FULL));
    assert.deepEqual(
      [dcs.modem, dcs.bitRate, dcs.resolution, dcs.width, dcs.length, dcs.compression, dcs.ecm, dcs.minScanLineTime],
      ['v17', 14400, 'superfine', 'b4', 'unlimited', 'mmr', true, 0],
    );
    assert.deepEqual(dcs.flags, new Set(['receive']));
  });

  it('uses MR, not MMR, when one end lacks ECM', () => {
    const dcs = dcsOf(negotiate(FULL, { ...FULL, ecm: false }));
    assert.equal(dcs.ecm, false);
    assert.equal(dcs.compression, 'mr');
    assert.equal(dcs.minScanLineTime, 20);
    assert.equal(dcsOf(negotiate({ ...FULL, ecm: false }, FULL)).compression, 'mr');
  });

  it('falls to MH when the receiver has neither MR nor ECM', () => {
    const dcs = dcsOf(negotiate(FULL, { ...FULL, ecm: false, compressions: new Set(['mh', 'mmr']) }));
    assert.equal(dcs.compression, 'mh');
  });

  it('reports incompatible when no modem is common', () => {
    const v29Only: Dis = { ...FULL, modems: new Set(['v29']), bitRates: new Set([9600, 7200]) };
    const v27Only: Dis = { ...FULL, modems: new Set(['v27ter']), bitRates: new Set([4800, 2400]) };
    assert.deepEqual(negotiate(v29Only, v27Only), { incompatible: 'no-common-modem' });
  });

  it('reports incompatible when the remote cannot receive', () => {
    assert.deepEqual(negotiate(FULL, { ...FULL, flags: new Set() }), { incompatible: 'remote-cannot-receive' });
  });

  it('sends standard when fine is wanted but the remote has standard only', () => {
    const local: Dis = { ...FULL, resolutions: new Set(['standard', 'fine']) };
    const dcs = dcsOf(negotiate(local, { ...FULL, resolutions: new Set(['standard']) }));
    assert.equal(dcs.resolution, 'standard');
    assert.equal(dcsOf(negotiate(local, FULL)).resolution, 'fine');
  });

  it('takes the shorter length, the common width and a V.27 ter fall-back-only receiver at 2400', () => {
    const remote: Dis = {
      ...FULL,
      modems: new Set(['v27ter']),
      bitRates: new Set([2400]),
      widths: new Set(['a4']),
      maxLength: 'a4',
    };
    const dcs = dcsOf(negotiate(FULL, remote));
    assert.deepEqual([dcs.modem, dcs.bitRate, dcs.width, dcs.length], ['v27ter', 2400, 'a4', 'a4']);
  });

  it('halves the scan-line time at fine when the receiver allows it, and uses 64-octet frames on request', () => {
    const remote: Dis = { ...FULL, ecm: false, minScanLineTime: 40, scanTimeHalvedAtFine: true };
    const local: Dis = { ...FULL, resolutions: new Set(['standard', 'fine']) };
    assert.equal(dcsOf(negotiate(local, remote)).minScanLineTime, 20);
    assert.equal(dcsOf(negotiate(local, { ...FULL, ecmFrameSize: 64 })).ecmFrameSize, 64);
  });
});

describe('nextLowerRate', () => {
  it('walks the whole fall-back order against a full receiver', () => {
    let dcs: Dcs | undefined = dcsOf(negotiate(FULL, FULL));
    const visited: string[] = [];
    while (dcs) {
      visited.push(`${dcs.modem} ${dcs.bitRate}`);
      dcs = nextLowerRate(dcs, FULL);
    }
    assert.deepEqual(
      visited,
      RATE_FALLBACK_ORDER.map((step) => `${step.modem} ${step.bitRate}`),
    );
    assert.deepEqual(visited.slice(0, 5), ['v17 14400', 'v17 12000', 'v17 9600', 'v17 7200', 'v29 9600']);
  });

  it('skips rates the receiver does not offer and keeps the other settings', () => {
    const v27AndV29: Dis = { ...FULL, modems: new Set(['v27ter', 'v29']), bitRates: new Set([9600, 7200, 4800, 2400]) };
    const dcs = dcsOf(negotiate(FULL, v27AndV29));
    assert.deepEqual([dcs.modem, dcs.bitRate], ['v29', 9600]);
    const lower = nextLowerRate(dcs, v27AndV29);
    assert.deepEqual(lower, { ...dcs, bitRate: 7200 });
    const fallbackOnly: Dis = { ...FULL, modems: new Set(['v27ter']), bitRates: new Set([2400]) };
    assert.equal(nextLowerRate({ ...dcs, modem: 'v17', bitRate: 14400 }, fallbackOnly)?.bitRate, 2400);
    assert.equal(nextLowerRate({ ...dcs, modem: 'v27ter', bitRate: 2400 }, FULL), undefined);
  });

  it('respects the local capabilities when given', () => {
    const localV29: Dis = { ...FULL, modems: new Set(['v29']), bitRates: new Set([9600, 7200]) };
    const dcs = dcsOf(negotiate(localV29, FULL));
    assert.equal(nextLowerRate(dcs, FULL, localV29)?.bitRate, 7200);
    assert.equal(nextLowerRate({ ...dcs, bitRate: 7200 }, FULL, localV29), undefined);
  });
});
