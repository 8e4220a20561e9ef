// Who is calling the API and what they may see and do: the rules of FAX_ACCESS_RIGHTS_ENUM_2 (reference §3.7) over
// faxd's objects. A user owns the jobs and sent messages they submit. Received faxes and incoming jobs are the receive
// folder's, seen with the archive rights or the right to manage the folder (Vista's fax service keeps them there
// for everyone with those rights, as no account sent them); a line routed to a user (`routing.user`) makes what it
// receives that user's own as well.

import {
  ALL_ACCESS_RIGHTS,
  accessRightNamesOf,
  FaxApiError,
  type FaxPriorityName,
  FAX_ACCESS_RIGHTS_ENUM_2 as R,
} from '@faxd/contract';

export interface Caller {
  readonly name: string;
  /** The user's id; null for the administrator token and for a server without users. */
  readonly userId: number | null;
  /** FAX_ACCESS_RIGHTS_ENUM_2 bits granted. */
  readonly rights: number;
  /** The API key the caller presented (its revocation ends the caller's event streams); null without one. */
  readonly keyId: string | null;
}

/** The `token` of the configuration: every right, for compatibility with servers from before users. */
export const ADMINISTRATOR: Caller = { name: 'administrator', userId: null, rights: ALL_ACCESS_RIGHTS, keyId: null };

/** Anyone, on a loopback listen of a server with neither users nor a token (what faxd did before users). */
export const ANONYMOUS: Caller = { name: 'anonymous', userId: null, rights: ALL_ACCESS_RIGHTS, keyId: null };

/** Whether the caller holds at least one of the rights in `mask`. */
export function holdsAny(caller: Caller, mask: number): boolean {
  return (caller.rights & mask) !== 0;
}

/** The rights that see every outgoing job; a manager must find a job to manage it. */
const ALL_OUT_JOBS = R.far2QUERY_OUT_JOBS | R.far2MANAGE_OUT_JOBS;
/** The rights that see every sent message. */
const ALL_ARCHIVES = R.far2QUERY_ARCHIVES | R.far2MANAGE_ARCHIVES;
/** The rights that see the receive folder: the archive rights, and managing the folder itself. */
export const RECEIVE_FOLDER = ALL_ARCHIVES | R.far2MANAGE_RECEIVE_FOLDER;

/** What a job or an archived fax shows of itself for these rules. */
export interface Owned {
  readonly direction: 'outgoing' | 'incoming';
  /** The submitter of an outgoing job; the user its line is routed to for an incoming one (line-owners.ts). */
  readonly owner_id: number | null;
}

/** A user's own object: they submitted it, and still hold a submit right (§3.7: "manage own jobs"). */
function owns(caller: Caller, object: Owned): boolean {
  return caller.userId !== null && caller.userId === object.owner_id && holdsAny(caller, R.far2SUBMIT_LOW);
}

/** Whether the caller may see the job at all (else it answers as if it did not exist). */
export function seesJob(caller: Caller, job: Owned): boolean {
  return owns(caller, job) || holdsAny(caller, job.direction === 'incoming' ? RECEIVE_FOLDER : ALL_OUT_JOBS);
}

/** Whether the caller may cancel, pause, resume or restart the job (IFaxOutgoingJob.Cancel's rights, §2.6–2.7). */
export function managesJob(caller: Caller, job: Owned): boolean {
  const all = job.direction === 'incoming' ? R.far2MANAGE_RECEIVE_FOLDER : R.far2MANAGE_OUT_JOBS;
  return owns(caller, job) || holdsAny(caller, all);
}

/** Whether the caller may see a sent message (an outbound job in the outgoing archive). */
export function seesSentMessage(caller: Caller, job: Owned): boolean {
  return owns(caller, job) || holdsAny(caller, ALL_ARCHIVES);
}

/** Whether the caller may delete an archived fax it sees (IFaxIncomingMessage/IFaxOutgoingMessage.Delete). */
export function deletesMessage(caller: Caller, message: Owned): boolean {
  return owns(caller, message) || holdsAny(caller, R.far2MANAGE_ARCHIVES);
}

/** The submit right each priority needs (§2.9 FaxDocument.Priority: "submitting needs the matching farSUBMIT_* right"). */
const SUBMIT_RIGHT: Readonly<Record<FaxPriorityName, number>> = {
  low: R.far2SUBMIT_LOW,
  normal: R.far2SUBMIT_NORMAL,
  high: R.far2SUBMIT_HIGH,
};

function denied(reason: string, right: number): FaxApiError {
  return FaxApiError.of('FAX_ERR_ACCESS_DENIED', { reason }, { rights: accessRightNamesOf(right) });
}

/** Refuses a submission at a priority above the caller's submit right (the default priority is normal). */
export function checkSubmitRight(caller: Caller, priority: FaxPriorityName = 'normal'): void {
  const right = SUBMIT_RIGHT[priority];
  if (!holdsAny(caller, right)) {
    throw denied(`submitting at ${priority} priority needs the right ${accessRightNamesOf(right).join('')}`, right);
  }
}

/** Refuses `action` on a job the caller sees but may not manage. */
export function checkManages(caller: Caller, job: Owned, action: string): void {
  if (managesJob(caller, job)) return;
  const right = job.direction === 'incoming' ? R.far2MANAGE_RECEIVE_FOLDER : R.far2MANAGE_OUT_JOBS;
  throw denied(`to ${action} needs the right ${accessRightNamesOf(right).join('')}`, right);
}
