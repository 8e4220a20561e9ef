import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagNamesOf, isMemberOf, maskOfAll, nameOf } from './enum-names.js';
import { FAX_JOB_OPERATIONS_ENUM, FAX_JOB_STATUS_ENUM, FAX_JOB_TYPE_ENUM } from './job-enums.js';
import { FAX_SERVER_EVENTS_TYPE_ENUM } from './server-enums.js';

describe('nameOf and isMemberOf', () => {
  it('find the COM name of a value', () => {
    assert.equal(nameOf(FAX_JOB_TYPE_ENUM, 1), 'fjtRECEIVE');
    assert.equal(nameOf(FAX_JOB_STATUS_ENUM, 256), 'fjsCOMPLETED');
    assert.equal(nameOf(FAX_JOB_STATUS_ENUM, 4), undefined);
  });

  it('accept members only', () => {
    assert.equal(isMemberOf(FAX_JOB_TYPE_ENUM, 2), true);
    assert.equal(isMemberOf(FAX_JOB_TYPE_ENUM, 3), false);
    assert.equal(isMemberOf(FAX_JOB_TYPE_ENUM, '1'), false);
  });
});

describe('flagNamesOf and maskOfAll', () => {
  it('list the bits of a mask in declaration order', () => {
    assert.deepEqual(flagNamesOf(FAX_JOB_OPERATIONS_ENUM, 0x19), ['fjoVIEW', 'fjoRESTART', 'fjoDELETE']);
    assert.deepEqual(flagNamesOf(FAX_JOB_STATUS_ENUM, 0x11), ['fjsPENDING', 'fjsPAUSED']);
    assert.deepEqual(flagNamesOf(FAX_SERVER_EVENTS_TYPE_ENUM, 0), []);
  });

  it('leave unnamed bits out, which maskOfAll exposes', () => {
    assert.deepEqual(flagNamesOf(FAX_JOB_OPERATIONS_ENUM, 0x81), ['fjoVIEW']);
    assert.equal(maskOfAll(FAX_JOB_OPERATIONS_ENUM), 0x7f);
    assert.equal(maskOfAll(FAX_SERVER_EVENTS_TYPE_ENUM), 0x3ff);
  });
});
