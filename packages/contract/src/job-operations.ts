// AvailableOperations of a job (FAX_JOB_OPERATIONS_ENUM) as a function of its status and type, following the
// suggested table of reference §4.4; the Windows documentation only says the mask depends on the state.

import type { FaxJobTypeEnum } from './job-enums.js';
import { baseJobStatus, FAX_JOB_OPERATIONS_ENUM, FAX_JOB_STATUS_ENUM, FAX_JOB_TYPE_ENUM } from './job-enums.js';

const S = FAX_JOB_STATUS_ENUM;
const O = FAX_JOB_OPERATIONS_ENUM;

/** An outbound job always has a sender and a recipient to show; an inbound one has neither. */
const OUTBOUND_INFO = O.fjoVIEW | O.fjoRECIPIENT_INFO | O.fjoSENDER_INFO;

/**
 * The operations a client may apply to a job of `jobType` in `status` (modifiers included). Each pause, resume,
 * restart and delete bit is set exactly when transitionJob accepts the matching paused, resumed, restarted or
 * cancelRequested event, which the tests check over every reachable state. fjoVIEW means there are pages to fetch
 * (GET /v1/jobs/{id}/document.tif, like CopyTiff): an outbound job's document at any time, a received fax once it is
 * stored; while a call is receiving, its pages are still on the line and there is nothing to view yet.
 */
export function availableOperations(status: number, jobType: FaxJobTypeEnum): number {
  const base = baseJobStatus(status);
  const paused = (status & S.fjsPAUSED) !== 0;
  if (jobType === FAX_JOB_TYPE_ENUM.fjtSEND) {
    switch (base) {
      case S.fjsPENDING:
      case S.fjsRETRYING:
        return OUTBOUND_INFO | O.fjoDELETE | (paused ? O.fjoRESUME : O.fjoPAUSE);
      case S.fjsINPROGRESS:
        return OUTBOUND_INFO | O.fjoDELETE;
      case S.fjsRETRIES_EXCEEDED:
        return OUTBOUND_INFO | O.fjoRESTART | O.fjoDELETE;
      case S.fjsCANCELING:
      case S.fjsCOMPLETED:
      case S.fjsCANCELED:
        return OUTBOUND_INFO;
      default:
        return 0;
    }
  }
  if (jobType === FAX_JOB_TYPE_ENUM.fjtRECEIVE) {
    // A reception that failed or was canceled keeps no pages; a partial one is routed like a complete one.
    return base === S.fjsINPROGRESS ? O.fjoDELETE : 0;
  }
  // fjsROUTING is the step in which faxd stores the received fax: it can be viewed once routing has stored it.
  switch (base) {
    case S.fjsRETRYING:
    case S.fjsRETRIES_EXCEEDED:
      return O.fjoVIEW | O.fjoDELETE;
    case S.fjsINPROGRESS:
    case S.fjsCOMPLETED:
      return O.fjoVIEW;
    default:
      return 0;
  }
}
