import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFcf, encodeFcf, FCF_TABLE, type FcfName } from './fcf.js';

/** The LSB-first column of the reference FCF table (SpanDSP's t30_fcf.h values), X = 0. */
const LSB_FIRST: Record<string, number> = {
  DIS: 0x80,
  CSI: 0x40,
  NSF: 0x20,
  DTC: 0x81,
  CIG: 0x41,
  NSC: 0x21,
  PWD: 0xc1,
  SEP: 0xa1,
  PSA: 0x61,
  CIA: 0xe1,
  ISP: 0x11,
  DCS: 0x82,
  TSI: 0x42,
  NSS: 0x22,
  SUB: 0xc2,
  SID: 0xa2,
  TSA: 0x62,
  IRA: 0xe2,
  CTC: 0x12,
  CFR: 0x84,
  FTT: 0x44,
  CTR: 0xc4,
  CSA: 0x24,
  EOM: 0x8e,
  MPS: 0x4e,
  EOP: 0x2e,
  EOS: 0x1e,
  'PRI-EOM': 0x9e,
  'PRI-MPS': 0x5e,
  'PRI-EOP': 0x3e,
  PPS: 0xbe,
  EOR: 0xce,
  RR: 0x6e,
  MCF: 0x8c,
  RTP: 0xcc,
  RTN: 0x4c,
  PIP: 0xac,
  PIN: 0x2c,
  PPR: 0xbc,
  RNR: 0xec,
  ERR: 0x1c,
  FDM: 0xfc,
  PID: 0x6c,
  DCN: 0xfa,
  CRP: 0x1a,
  FNV: 0xca,
  TNR: 0xea,
  TR: 0x6a,
  DNK: 0x9a,
  TK: 0x4b,
  RK: 0x4a,
  DES: 0xa0,
  DEC: 0x93,
  DER: 0x53,
  DTR: 0x11,
  SPI: 0x10,
  SPT: 0x80,
  PSS: 0x1f,
  FCD: 0x06,
  RCP: 0x86,
};

/** The MSB-first (T.38 wire) column of the same table. */
const MSB_FIRST: Record<string, number> = {
  DIS: 0x01,
  CSI: 0x02,
  NSF: 0x04,
  DTC: 0x81,
  CIG: 0x82,
  DCS: 0x41,
  TSI: 0x42,
  CFR: 0x21,
  FTT: 0x22,
  EOM: 0x71,
  MPS: 0x72,
  EOP: 0x74,
  PPS: 0x7d,
  EOR: 0x73,
  RR: 0x76,
  MCF: 0x31,
  RTP: 0x33,
  RTN: 0x32,
  PPR: 0x3d,
  RNR: 0x37,
  ERR: 0x38,
  DCN: 0x5f,
  CRP: 0x58,
  CTC: 0x48,
  CTR: 0x23,
  TK: 0xd2,
  RK: 0x52,
  DEC: 0xc9,
  FCD: 0x60,
  RCP: 0x61,
};

describe('FCF table', () => {
  it('has both bit orders of every code in the reference table', () => {
    assert.deepEqual(Object.keys(FCF_TABLE).sort(), Object.keys(LSB_FIRST).sort());
    for (const [name, lsb] of Object.entries(LSB_FIRST)) {
      assert.equal(FCF_TABLE[name as FcfName].lsbFirst, lsb, name);
    }
    for (const [name, msb] of Object.entries(MSB_FIRST)) {
      assert.equal(FCF_TABLE[name as FcfName].msbFirst, msb, name);
    }
  });

  it('sets the X bit only on codes that have one', () => {
    assert.equal(encodeFcf('DCS', true), 0xc1);
    assert.equal(encodeFcf('DCS', false), 0x41);
    assert.equal(encodeFcf('MCF', true), 0xb1);
    assert.equal(encodeFcf('DIS', true), 0x01);
    assert.equal(encodeFcf('DTC', true), 0x81);
  });

  it('decodes codes with and without X, and tells DTC from DCS', () => {
    assert.deepEqual(decodeFcf(0xc1), { name: 'DCS', xBit: true });
    assert.deepEqual(decodeFcf(0x41), { name: 'DCS', xBit: false });
    assert.deepEqual(decodeFcf(0x81), { name: 'DTC', xBit: false });
    assert.deepEqual(decodeFcf(0x01), { name: 'DIS', xBit: false });
    assert.deepEqual(decodeFcf(0xdf), { name: 'DCN', xBit: true });
  });

  it('decodes shared codes to the fax signal, not the security one', () => {
    assert.equal(decodeFcf(0x01)?.name, 'DIS');
    assert.equal(decodeFcf(0x88)?.name, 'ISP');
    assert.deepEqual(decodeFcf(0xf8), { name: 'EOS', xBit: true });
  });

  it('returns undefined for unassigned codes', () => {
    for (const code of [0x00, 0x03, 0x80, 0xff, 0x10, 0x7f]) assert.equal(decodeFcf(code), undefined, `0x${code}`);
  });

  it('decodes every one of the 256 octets to a table entry whose code it is, or to nothing', () => {
    for (let code = 0; code < 256; code++) {
      const fcf = decodeFcf(code);
      if (fcf) assert.equal(encodeFcf(fcf.name, fcf.xBit), code);
    }
  });
});
