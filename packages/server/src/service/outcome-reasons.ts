// How a T.30 outcome becomes a job's extended status and whether trying again can help (reference §4.3's failure
// list: busy and no answer retry, a bad address does not).

import { FAX_JOB_EXTENDED_STATUS_ENUM, type JobFailureReason } from '@faxd/contract';
import type { T30Outcome } from '@faxd/protocol';

const X = FAX_JOB_EXTENDED_STATUS_ENUM;

export interface FailureVerdict {
  readonly reason: JobFailureReason;
  /** False when another attempt would fail the same way (the two machines cannot agree on anything). */
  readonly retry: boolean;
}

export function failureOf(outcome: T30Outcome): FailureVerdict {
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
