import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_OPERATIONS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_JOB_TYPE_ENUM,
  isJobStatusValue,
} from './job-enums.js';

describe('job enumerations carry the COM values', () => {
  it('FAX_JOB_STATUS_ENUM', () => {
    assert.deepEqual(FAX_JOB_STATUS_ENUM, {
      fjsPENDING: 1,
      fjsINPROGRESS: 2,
      fjsFAILED: 8,
      fjsPAUSED: 16,
      fjsNOLINE: 32,
      fjsRETRYING: 64,
      fjsRETRIES_EXCEEDED: 128,
      fjsCOMPLETED: 256,
      fjsCANCELED: 512,
      fjsCANCELING: 1024,
      fjsROUTING: 2048,
    });
  });

  it('FAX_JOB_EXTENDED_STATUS_ENUM: 0 to 19 in order, then the proprietary base', () => {
    const names = Object.keys(FAX_JOB_EXTENDED_STATUS_ENUM);
    const expected = [
      'NONE DISCONNECTED INITIALIZING DIALING TRANSMITTING ANSWERED RECEIVING LINE_UNAVAILABLE BUSY NO_ANSWER',
      'BAD_ADDRESS NO_DIAL_TONE FATAL_ERROR CALL_DELAYED CALL_BLACKLISTED NOT_FAX_CALL PARTIALLY_RECEIVED HANDLED',
      'CALL_COMPLETED CALL_ABORTED',
    ]
      .join(' ')
      .split(' ');
    assert.deepEqual(
      names.slice(0, 20),
      expected.map((name) => `fjes${name}`),
    );
    assert.deepEqual(Object.values(FAX_JOB_EXTENDED_STATUS_ENUM).slice(0, 20), [...Array(20).keys()]);
    assert.equal(FAX_JOB_EXTENDED_STATUS_ENUM.fjesPROPRIETARY, 0x01000000);
    assert.equal(names.length, 21);
  });

  it('FAX_JOB_OPERATIONS_ENUM and FAX_JOB_TYPE_ENUM', () => {
    assert.deepEqual(FAX_JOB_OPERATIONS_ENUM, {
      fjoVIEW: 1,
      fjoPAUSE: 2,
      fjoRESUME: 4,
      fjoRESTART: 8,
      fjoDELETE: 16,
      fjoRECIPIENT_INFO: 32,
      fjoSENDER_INFO: 64,
    });
    assert.deepEqual(FAX_JOB_TYPE_ENUM, { fjtSEND: 0, fjtRECEIVE: 1, fjtROUTING: 2 });
  });
});

describe('job status words', () => {
  it('masks the PAUSED and NOLINE modifiers out of the base state', () => {
    assert.equal(baseJobStatus(0x1 | 0x10 | 0x20), FAX_JOB_STATUS_ENUM.fjsPENDING);
    assert.equal(baseJobStatus(0x40 | 0x10), FAX_JOB_STATUS_ENUM.fjsRETRYING);
    assert.equal(baseJobStatus(256), 256);
  });

  const cases = [
    [1, true],
    [17, true],
    [0x61, false],
    [0x50, true],
    [0x100, true],
    [0x10, false],
    [0, false],
    [4, false],
    [3, false],
    [0x1000, false],
    [1.5, false],
    ['1', false],
  ] as const;
  for (const [value, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => assert.equal(isJobStatusValue(value), valid));
  }
});
