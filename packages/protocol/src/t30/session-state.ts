// The states of a T.30 session, named after the T.30 flowcharts (T.30 Figure 5-2, Annex A figures) as SpanDSP names them.

import type { T30Phase } from './front-end.js';

export const T30_STATES = {
  /** Before `start`. */
  IDLE: 'A',
  /** Calling station waits for DIS (T1). */
  T: 'B',
  /** Station that sent DIS or DTC waits for a command; DIS/DTC repeated every T4 until T1. */
  R: 'B',
  /** Sender sent DCS and TCF, waits for CFR or FTT. */
  D: 'B',
  /** Receiver takes in TCF after DCS. */
  F_TCF: 'B',
  /** Receiver waits for a command (after FTT, RTP, RTN, ERR or the last MCF); T2. */
  F: 'D',
  /** Sender transmits a non-ECM page. */
  I: 'C',
  /** Receiver takes in (or waits for) a non-ECM page. */
  F_DOC_NON_ECM: 'C',
  /** Receiver's page carrier ended; it waits for MPS, EOM or EOP. */
  F_POST_DOC_NON_ECM: 'D',
  /** Receiver holds its MCF or RTP to MPS, EOM, EOP (or a final PPS) until the sink has stored the page; T2. */
  F_STORE_PAGE: 'D',
  /** Sender sent MPS, EOM or EOP and waits for MCF, RTP or RTN. */
  II_Q: 'D',
  /** Sender holds its next step after MCF or RTP until the caller has recorded the page (a durable source); T4. */
  II_RECORD: 'D',
  /** Sender transmits an ECM block (FCD frames and RCP). */
  IV: 'C',
  /** Receiver takes in ECM frames and answers PPS, CTC, EOR and RR. */
  F_DOC_ECM: 'C',
  /** Sender sent PPS and waits for MCF, PPR or RNR. */
  IV_PPS_Q: 'D',
  /** Sender got RNR and polls with RR (T5). */
  IV_PPS_RNR: 'D',
  /** Sender sent CTC and waits for CTR. */
  IV_CTC: 'D',
  /** Sender sent EOR and waits for ERR. */
  IV_EOR: 'D',
  /** The call is over; the outcome has been reported. */
  CALL_FINISHED: 'E',
} as const satisfies Record<string, T30Phase>;

export type T30State = keyof typeof T30_STATES;

export function phaseOf(state: T30State): T30Phase {
  return T30_STATES[state];
}

const POST_PAGE_SENDER: readonly T30State[] = ['I', 'IV', 'D', 'T', 'CALL_FINISHED'];
const ECM_SENDER_RESPONSE: readonly T30State[] = [...POST_PAGE_SENDER, 'II_RECORD', 'IV_PPS_RNR', 'IV_CTC', 'IV_EOR'];
const AFTER_RECEIVER_ANSWER: readonly T30State[] = ['F', 'F_DOC_NON_ECM', 'F_DOC_ECM', 'R', 'F_TCF', 'CALL_FINISHED'];

/** Every transition the flowcharts allow; `enter` rejects the rest as programmer errors. */
export const T30_TRANSITIONS = {
  IDLE: ['T', 'R', 'CALL_FINISHED'],
  T: ['D', 'R', 'CALL_FINISHED'],
  R: ['F_TCF', 'D', 'CALL_FINISHED'],
  D: ['D', 'I', 'IV', 'CALL_FINISHED'],
  F_TCF: ['F_TCF', 'F', 'F_DOC_NON_ECM', 'F_DOC_ECM', 'CALL_FINISHED'],
  F: ['F_TCF', 'CALL_FINISHED'],
  I: ['II_Q', 'CALL_FINISHED'],
  F_DOC_NON_ECM: ['F_POST_DOC_NON_ECM', 'F_STORE_PAGE', ...AFTER_RECEIVER_ANSWER],
  F_POST_DOC_NON_ECM: ['F_STORE_PAGE', ...AFTER_RECEIVER_ANSWER],
  F_STORE_PAGE: AFTER_RECEIVER_ANSWER,
  II_Q: [...POST_PAGE_SENDER, 'II_RECORD'],
  II_RECORD: POST_PAGE_SENDER,
  IV: ['IV_PPS_Q', 'CALL_FINISHED'],
  F_DOC_ECM: ['F_STORE_PAGE', ...AFTER_RECEIVER_ANSWER],
  IV_PPS_Q: ECM_SENDER_RESPONSE,
  IV_PPS_RNR: ECM_SENDER_RESPONSE,
  IV_CTC: ['IV', 'CALL_FINISHED'],
  IV_EOR: ['CALL_FINISHED'],
  CALL_FINISHED: [],
} as const satisfies Record<T30State, readonly T30State[]>;
