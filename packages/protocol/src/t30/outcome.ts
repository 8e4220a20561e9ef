// The catalogue of ways a T.30 call ends (T.30 phase E, Annex A), as values the service maps to job status.

import type { T30FrameType } from './frames/t30-frame.js';

/** Why DIS and DCS could not be matched. */
export type IncompatibilityReason = 'no-common-modem' | 'dcs-not-offered';

/**
 * Every outcome of a session. `ok` is the only success. Timer codes name the T.30 timer that expired; `no-response`
 * is a command sent three times (T4 each) without an answer.
 */
export type T30Outcome =
  | { readonly code: 'ok'; readonly pages: number }
  /** The called station never answered (T0, 60 s). The call layer reports it: the session starts after answer. */
  | { readonly code: 'T0-expired' }
  | { readonly code: 'T1-expired' }
  | { readonly code: 'T2-expired' }
  | { readonly code: 'T5-expired' }
  | { readonly code: 'no-response'; readonly command: T30FrameType }
  | { readonly code: 'cannot-train' }
  | { readonly code: 'incompatible'; readonly reason: IncompatibilityReason }
  | { readonly code: 'remote-cannot-receive' }
  | { readonly code: 'remote-cannot-transmit' }
  | { readonly code: 'remote-disconnected' }
  | { readonly code: 'invalid-response'; readonly response: T30FrameType; readonly awaiting: string }
  | { readonly code: 'ecm-failure'; readonly page: number }
  | { readonly code: 'too-many-retrains' }
  | { readonly code: 'page-rejected'; readonly page: number }
  /** The receiver could not store the page (a full disk, say): it answered DCN instead of confirming it. */
  | { readonly code: 'page-not-stored'; readonly page: number }
  | { readonly code: 'local-cancel' }
  | { readonly code: 'remote-cancel' };

export type T30OutcomeCode = T30Outcome['code'];
