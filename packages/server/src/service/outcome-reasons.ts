// How a T.30 outcome becomes a job's extended status and whether trying again can help (reference §4.3's failure
// list: busy and no answer retry, a bad address does not).

import { FAX_JOB_EXTENDED_STATUS_ENUM, type JobFailureReason } from '@faxd/contract';
import type { T30Outcome } from '@faxd/protocol';
import type { CallFailure, LineCallResult } from '../lines/fax-line.js';

const X = FAX_JOB_EXTENDED_STATUS_ENUM;

export interface FailureVerdict {
  readonly reason: JobFailureReason;
  /** False when another attempt would fail the same way (the two machines cannot agree on anything). */
  readonly retry: boolean;
}

const CALL_FAILURES: Readonly<Record<CallFailure, FailureVerdict>> = {
  busy: { reason: X.fjesBUSY, retry: true },
  'bad-address': { reason: X.fjesBAD_ADDRESS, retry: false },
  'no-answer': { reason: X.fjesNO_ANSWER, retry: true },
  'line-unavailable': { reason: X.fjesLINE_UNAVAILABLE, retry: true },
  'call-aborted': { reason: X.fjesCALL_ABORTED, retry: true },
  'not-fax': { reason: X.fjesNOT_FAX_CALL, retry: false },
};

/** The call signalling's verdict when there is one, else the T.30 outcome's. */
export function failureOf(result: Pick<LineCallResult, 'failure' | 'outcome'>): FailureVerdict {
  return result.failure ? CALL_FAILURES[result.failure] : t30FailureOf(result.outcome);
}

function t30FailureOf(outcome: T30Outcome): FailureVerdict {
  switch (outcome.code) {
    case 'T0-expired':
    case 'T1-expired':
      return { reason: X.fjesNO_ANSWER, retry: true };
    case 'remote-disconnected':
    case 'remote-cancel':
    case 'T2-expired':
    case 'T5-expired':
    case 'no-response':
      return { reason: X.fjesDISCONNECTED, retry: true };
    case 'incompatible':
    case 'remote-cannot-receive':
    case 'remote-cannot-transmit':
      return { reason: X.fjesFATAL_ERROR, retry: false };
    case 'local-cancel':
      return { reason: X.fjesCALL_ABORTED, retry: true };
    default:
      return { reason: X.fjesFATAL_ERROR, retry: true };
  }
}
