// What the fax service needs of a line, whatever carries it (a T.38 peer, a loopback pair, a SIP trunk): place a
// call that sends pages, answer calls it is offered, one call at a time.

import type { BilevelPage, T30Event, T30Outcome, UdptlReceiverStats } from '@faxd/protocol';
import type { CallReport } from './call-report.js';

/**
 * Why a call never reached the fax machine, or lost it (from the call signalling, e.g. SIP): `busy` (486/600),
 * `bad-address` (404/484), `no-answer` (408/480, or nobody picked up), `line-unavailable` (503, no trunk),
 * `call-aborted` (hung up in the middle: BYE mid-fax), `not-fax` (the far end could not do T.38).
 */
export type CallFailure = 'busy' | 'bad-address' | 'no-answer' | 'line-unavailable' | 'call-aborted' | 'not-fax';

export interface LineCallResult {
  readonly report: CallReport;
  readonly outcome: T30Outcome;
  /** Pages received and kept, decoded (answering calls). */
  readonly received: readonly BilevelPage[];
  /** Set when the call signalling failed: it decides the job's status before the T.30 outcome does. */
  readonly failure?: CallFailure;
  /** What the call's UDPTL receiver saw (T.38 calls only): IFPs recovered from redundancy and lost for good. */
  readonly udptl?: Readonly<UdptlReceiverStats>;
  /** The calling number (caller id) and the dialed number of an answered call, when the line knows them. */
  readonly callerId?: string;
  readonly calledNumber?: string;
}

/**
 * Writes one received page durably (answering calls); the page is confirmed to the sender only once this resolves, and
 * a rejection ends the call without confirming it. `number` is the page's place in the call, from 1.
 */
export type PageStore = (page: BilevelPage, number: number) => Promise<void>;

export interface CallListener {
  /** Each T.30 event of the call, with the report already updated by it. */
  onEvent(event: T30Event, report: CallReport): void;
  /** Where an answered call's pages are stored before they are confirmed; without it they are kept in memory only. */
  readonly storePage?: PageStore;
  /**
   * Writes down durably how many pages the far end has confirmed (`report.confirmedWithMcf`) once it confirms one. A
   * placed call goes on (its next page, or the DCN after the last) only when this settles, whatever its outcome, or
   * after T4 (T.30 has the far end wait no longer): the far end cannot end the call with the fax whole before this side
   * has written that it need not send those pages again. Without it the call goes straight on.
   */
  readonly recordConfirmed?: (report: CallReport) => Promise<void>;
  /**
   * Asked before every step of the call's fax session (each datagram in, each timer): false drops the call at once,
   * without another word, so it sends no more of a page and confirms none. The service's node may then no longer hold
   * the call's job (its lease is not surely its own): another node may be sending it again.
   */
  readonly mayContinue?: () => boolean;
}

export interface PlacedCall {
  readonly result: Promise<LineCallResult>;
  cancel(): void;
}

/** An offered call the service takes: who calls, and what number they dialed (both `""` when unknown). */
export interface IncomingCall {
  readonly callerId: string;
  readonly calledNumber: string;
  /**
   * Ends the call once answered, as the line allows (DCN over T.38, then BYE on SIP): a user cancelled the reception.
   * The listener's onEnd still follows, with what arrived before.
   */
  hangUp(): void;
}

/** What the service does with a call the line is offered: listen to it, or decline (the line does not answer). */
export type IncomingCallHandler = (
  call: IncomingCall,
) => (CallListener & { onEnd(result: LineCallResult): void }) | undefined;

export interface OutgoingCall {
  readonly pages: readonly BilevelPage[];
  /** The number to dial (lines toward a fixed peer ignore it). */
  readonly number: string;
  /** This station's TSI. */
  readonly ident: string;
}

export interface FaxLine {
  /** A call is in progress on the line. */
  readonly busy: boolean;
  incomingCallHandler: IncomingCallHandler;
  placeCall(call: OutgoingCall, listener: CallListener): PlacedCall;
  /** Ends any call and releases the line's sockets. */
  close(): Promise<void>;
}
