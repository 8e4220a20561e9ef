// A port's FaxStatus as a caller may see it (issue 13): whoever may read the ports sees every port's activity, but the
// numbers, names and document of a call whose job the caller may not see are left blank, so a port never shows one
// user another user's fax.

import type { FaxStatus } from '@faxd/contract';
import { type Caller, type Owned, seesJob } from './caller.js';

/** The properties that say whose fax it is and to or from whom. */
const IDENTIFYING = [
  'address',
  'callerId',
  'csid',
  'tsid',
  'documentName',
  'recipientName',
  'routingString',
  'senderName',
] as const satisfies readonly (keyof FaxStatus)[];

/** `status` of a port busy with `job`, its identifying properties blank (null ones stay null) unless `job` is seen. */
export function portStatusSeenBy(caller: Caller, status: FaxStatus, job: Owned): FaxStatus {
  if (seesJob(caller, job)) return status;
  const blank = Object.fromEntries(IDENTIFYING.filter((name) => status[name] !== null).map((name) => [name, '']));
  return { ...status, ...blank };
}
