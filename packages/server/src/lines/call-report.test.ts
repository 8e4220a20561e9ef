// CallReport's view of the call as a port shows it (FaxPortInfo.call): the media from the start, the DCS's modem, rate
// and ECM once negotiated, and a CTC's new modem and rate without a new DCS (T.30 Annex A).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dcs } from '@faxd/protocol';
import { CallReport } from './call-report.js';

const DCS: Dcs = {
  modem: 'v17',
  bitRate: 14400,
  resolution: 'fine',
  width: 'a4',
  length: 'a4',
  compression: 'mmr',
  ecm: true,
  ecmFrameSize: 256,
  minScanLineTime: 0,
  flags: new Set(['receive']),
};

describe('CallReport.portCall', () => {
  it('shows the media alone before the DCS, then the DCS, then where CTC moved the modem', () => {
    const report = new CallReport('pcma');
    assert.deepEqual(report.portCall, { media: 'pcma', modem: null, bitRate: null, ecm: null });
    assert.equal(report.take({ type: 'negotiated', dcs: DCS }), true);
    assert.deepEqual(report.portCall, { media: 'pcma', modem: 'V.17', bitRate: 14400, ecm: true });
    assert.equal(report.take({ type: 'retrain', reason: 'CTC', bitRate: 9600, modem: 'v29' }), true);
    assert.deepEqual(report.portCall, { media: 'pcma', modem: 'V.29', bitRate: 9600, ecm: true });
    // RTN's retrain is followed by a new DCS, which is what counts.
    assert.equal(report.take({ type: 'retrain', reason: 'RTN', bitRate: 7200 }), false);
    assert.deepEqual(report.portCall, { media: 'pcma', modem: 'V.29', bitRate: 9600, ecm: true });
  });

  it('is on T.38 unless the station said otherwise', () => {
    assert.equal(new CallReport().portCall.media, 't38');
  });
});
