import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCESS_RIGHT_NAMES,
  ALL_ACCESS_RIGHTS,
  accessRightNamesOf,
  faxCallerOf,
  grantedRightsOf,
  parseAccessRights,
  FAX_ACCESS_RIGHTS_ENUM_2 as R,
} from './access-rights.js';

describe('access rights (FAX_ACCESS_RIGHTS_ENUM_2)', () => {
  it('has the COM values of reference §3.7, one bit each, named in kebab case', () => {
    assert.deepEqual(
      ACCESS_RIGHT_NAMES.map((name) => parseAccessRights(name) & ~(R.far2SUBMIT_LOW | R.far2SUBMIT_NORMAL)),
      [0, 0, 0x004, 0x008, 0x010, 0x020, 0x040, 0x080, 0x100, 0x200],
    );
    assert.equal(ALL_ACCESS_RIGHTS, 0x3ff);
    assert.equal(parseAccessRights('all'), 0x3ff);
  });

  it('grants the lower submit rights with a higher one (§2.12)', () => {
    assert.equal(grantedRightsOf(R.far2SUBMIT_HIGH), 0x7);
    assert.equal(grantedRightsOf(R.far2SUBMIT_NORMAL), 0x3);
    assert.equal(grantedRightsOf(R.far2SUBMIT_LOW | R.far2QUERY_CONFIG), 0x21);
    assert.equal(grantedRightsOf(0x400 | R.far2QUERY_ARCHIVES), R.far2QUERY_ARCHIVES, 'bits outside the enum drop');
  });

  it('reads a comma-separated list, and refuses a word that is not a right by name', () => {
    assert.equal(parseAccessRights('submit-high,query-out-jobs'), 0xf);
    assert.equal(parseAccessRights(' query-config , manage-config'), 0x60);
    assert.deepEqual(accessRightNamesOf(parseAccessRights('manage-receive-folder,submit-low')), [
      'submit-low',
      'manage-receive-folder',
    ]);
    assert.throws(() => parseAccessRights('submit-normal,query-jobs'), /"query-jobs" is not an access right/);
    assert.throws(() => parseAccessRights(''), /"" is not an access right/);
  });

  it('describes a caller as GET /v1/me answers', () => {
    assert.deepEqual(faxCallerOf('alice', R.far2SUBMIT_NORMAL), {
      name: 'alice',
      rights: ['submit-low', 'submit-normal'],
      grantedRights: 3,
    });
  });
});
