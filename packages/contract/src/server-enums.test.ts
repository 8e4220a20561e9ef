import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FAX_COVERPAGE_TYPE_ENUM,
  FAX_DEVICE_RECEIVE_MODE_ENUM,
  FAX_PRIORITY_BY_NAME,
  FAX_PRIORITY_TYPE_ENUM,
  FAX_RECEIPT_TYPE_ENUM,
  FAX_SCHEDULE_TYPE_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  priorityName,
} from './server-enums.js';

describe('server enumerations carry the COM values', () => {
  it('FAX_SERVER_EVENTS_TYPE_ENUM', () => {
    assert.deepEqual(FAX_SERVER_EVENTS_TYPE_ENUM, {
      fsetNONE: 0,
      fsetIN_QUEUE: 0x1,
      fsetOUT_QUEUE: 0x2,
      fsetCONFIG: 0x4,
      fsetACTIVITY: 0x8,
      fsetQUEUE_STATE: 0x10,
      fsetIN_ARCHIVE: 0x20,
      fsetOUT_ARCHIVE: 0x40,
      fsetFXSSVC_ENDED: 0x80,
      fsetDEVICE_STATUS: 0x100,
      fsetINCOMING_CALL: 0x200,
    });
  });

  it('the submission and device enumerations', () => {
    assert.deepEqual(FAX_PRIORITY_TYPE_ENUM, { fptLOW: 0, fptNORMAL: 1, fptHIGH: 2 });
    assert.deepEqual(FAX_SCHEDULE_TYPE_ENUM, { fstNOW: 0, fstSPECIFIC_TIME: 1, fstDISCOUNT_PERIOD: 2 });
    assert.deepEqual(FAX_RECEIPT_TYPE_ENUM, { frtNONE: 0, frtMAIL: 1, frtMSGBOX: 4 });
    assert.deepEqual(FAX_COVERPAGE_TYPE_ENUM, { fcptNONE: 0, fcptLOCAL: 1, fcptSERVER: 2 });
    assert.deepEqual(FAX_DEVICE_RECEIVE_MODE_ENUM, { fdrmNO_ANSWER: 0, fdrmAUTO_ANSWER: 1, fdrmMANUAL_ANSWER: 2 });
  });
});

describe('priority names', () => {
  it('map the CLI words to fpt values and back', () => {
    assert.deepEqual(FAX_PRIORITY_BY_NAME, { low: 0, normal: 1, high: 2 });
    for (const [name, value] of Object.entries(FAX_PRIORITY_BY_NAME)) assert.equal(priorityName(value), name);
  });
});
