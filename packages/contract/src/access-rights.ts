// Access rights after FAX_ACCESS_RIGHTS_ENUM_2 (FaxSecurity2, reference §3.7 and §2.12): the COM bit values, their
// kebab-case names as `faxd user --rights` and GET /v1/me spell them, and the submit rights' implications.

import { flagNamesOf, maskOfAll } from './enum-names.js';

/** FAX_ACCESS_RIGHTS_ENUM_2's bits (Vista+), by their COM names. */
export const FAX_ACCESS_RIGHTS_ENUM_2 = {
  far2SUBMIT_LOW: 0x001,
  far2SUBMIT_NORMAL: 0x002,
  far2SUBMIT_HIGH: 0x004,
  far2QUERY_OUT_JOBS: 0x008,
  far2MANAGE_OUT_JOBS: 0x010,
  far2QUERY_CONFIG: 0x020,
  far2MANAGE_CONFIG: 0x040,
  far2QUERY_ARCHIVES: 0x080,
  far2MANAGE_ARCHIVES: 0x100,
  far2MANAGE_RECEIVE_FOLDER: 0x200,
} as const;

const R = FAX_ACCESS_RIGHTS_ENUM_2;

/** Each right's kebab-case name and bit, in bit order. */
export const ACCESS_RIGHTS = {
  'submit-low': R.far2SUBMIT_LOW,
  'submit-normal': R.far2SUBMIT_NORMAL,
  'submit-high': R.far2SUBMIT_HIGH,
  'query-out-jobs': R.far2QUERY_OUT_JOBS,
  'manage-out-jobs': R.far2MANAGE_OUT_JOBS,
  'query-config': R.far2QUERY_CONFIG,
  'manage-config': R.far2MANAGE_CONFIG,
  'query-archives': R.far2QUERY_ARCHIVES,
  'manage-archives': R.far2MANAGE_ARCHIVES,
  'manage-receive-folder': R.far2MANAGE_RECEIVE_FOLDER,
} as const;

export type AccessRightName = keyof typeof ACCESS_RIGHTS;

/** Every right's name, in bit order. */
export const ACCESS_RIGHT_NAMES = Object.keys(ACCESS_RIGHTS) as readonly AccessRightName[];

/** Every right at once (`all`). */
export const ALL_ACCESS_RIGHTS = maskOfAll(ACCESS_RIGHTS);

/** The rights a user gets when none are named. */
export const DEFAULT_ACCESS_RIGHTS = 'submit-normal';

/**
 * The rights `mask` grants (FaxSecurity2.GrantedRights): §2.12 "a SUBMIT_HIGH right implies NORMAL and LOW; NORMAL
 * implies LOW". Bits outside the enum are dropped.
 */
export function grantedRightsOf(mask: number): number {
  let granted = mask & ALL_ACCESS_RIGHTS;
  if (granted & R.far2SUBMIT_HIGH) granted |= R.far2SUBMIT_NORMAL;
  if (granted & R.far2SUBMIT_NORMAL) granted |= R.far2SUBMIT_LOW;
  return granted;
}

/** The names of the rights in `mask`, in bit order. */
export function accessRightNamesOf(mask: number): AccessRightName[] {
  return flagNamesOf(ACCESS_RIGHTS, mask);
}

/**
 * The granted mask a comma-separated LIST names (`submit-high,query-out-jobs`, or `all`); throws a RangeError naming
 * the first word that is not a right, and the rights there are.
 */
export function parseAccessRights(list: string): number {
  const words = list.split(',').map((word) => word.trim());
  let mask = 0;
  for (const word of words) {
    if (word === 'all') mask |= ALL_ACCESS_RIGHTS;
    else if (Object.hasOwn(ACCESS_RIGHTS, word)) mask |= ACCESS_RIGHTS[word as AccessRightName];
    else {
      const known = [...ACCESS_RIGHT_NAMES, 'all'].join(', ');
      throw new RangeError(`"${word}" is not an access right; the rights are ${known}`);
    }
  }
  return grantedRightsOf(mask);
}

/** GET /v1/me: who the caller is and what it may do. */
export interface FaxCaller {
  readonly name: string;
  /** The granted rights' kebab-case names, in bit order. */
  readonly rights: readonly AccessRightName[];
  /** FAX_ACCESS_RIGHTS_ENUM_2 bits, as FaxSecurity2.GrantedRights. */
  readonly grantedRights: number;
}

/** The FaxCaller of a caller named `name` holding the rights `mask` grants. */
export function faxCallerOf(name: string, mask: number): FaxCaller {
  const grantedRights = grantedRightsOf(mask);
  return { name, rights: accessRightNamesOf(grantedRights), grantedRights };
}
