// Who receives each push event (issue 13, after ListenToServerEvents' rights, reference §2.3): a job's or a sent
// message's events only those who may see that job (its submitter, or the rights over everyone's), a received fax's
// to those who see the receive folder or own the line it came in on, a call's ringing to the receive folder's, configuration, device and activity events with query-config; the queues' state and
// the server's shutdown to all. An event a caller may not see is not sent at all, not even its id.

import {
  FAX_SERVER_EVENTS_TYPE_ENUM as E,
  FAX_SERVER_EVENTS,
  type FaxServerEvent,
  type FaxServerEventsTypeEnum,
  FAX_ACCESS_RIGHTS_ENUM_2 as R,
} from '@faxd/contract';
import { type Caller, holdsAny, type Owned, RECEIVE_FOLDER, seesJob, seesSentMessage } from './caller.js';

/** The job a job's or archived fax's id names (an archived fax keeps its job's id), if there is one. */
export type JobLookup = (jobId: string) => Promise<Owned | undefined>;

type Audience = (caller: Caller, event: FaxServerEvent, job: JobLookup) => boolean | Promise<boolean>;

const withRight =
  (rights: number): Audience =>
  (caller) =>
    holdsAny(caller, rights);

async function ownJob(caller: Caller, id: string, job: JobLookup, sees: typeof seesJob): Promise<boolean> {
  const found = await job(id);
  return found !== undefined && sees(caller, found);
}

const AUDIENCES: Readonly<Record<Exclude<FaxServerEventsTypeEnum, 0>, Audience>> = {
  [E.fsetIN_QUEUE]: (caller, event, job) => 'jobId' in event && ownJob(caller, event.jobId, job, seesJob),
  [E.fsetOUT_QUEUE]: (caller, event, job) => 'jobId' in event && ownJob(caller, event.jobId, job, seesJob),
  [E.fsetCONFIG]: withRight(R.far2QUERY_CONFIG),
  [E.fsetACTIVITY]: withRight(R.far2QUERY_CONFIG),
  [E.fsetQUEUE_STATE]: () => true,
  [E.fsetIN_ARCHIVE]: (caller, event, job) => 'messageId' in event && ownJob(caller, event.messageId, job, seesJob),
  [E.fsetOUT_ARCHIVE]: (caller, event, job) =>
    'messageId' in event && ownJob(caller, event.messageId, job, seesSentMessage),
  [E.fsetFXSSVC_ENDED]: () => true,
  [E.fsetDEVICE_STATUS]: withRight(R.far2QUERY_CONFIG),
  [E.fsetINCOMING_CALL]: withRight(RECEIVE_FOLDER),
};

/** Whether `caller` may receive `event`. */
export async function seesEvent(caller: Caller, event: FaxServerEvent, job: JobLookup): Promise<boolean> {
  const mask = FAX_SERVER_EVENTS[event.event].mask as Exclude<FaxServerEventsTypeEnum, 0>;
  return AUDIENCES[mask](caller, event, job);
}
