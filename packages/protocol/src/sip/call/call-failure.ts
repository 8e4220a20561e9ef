// Why a fax call's signalling failed, from the final response to its INVITE (RFC 3261 §21 status classes).

/**
 * The failures a fax service acts on: `busy` and `no-answer` are retried later, `bad-address` never, `not-fax` means
 * the far end would not take T.38, `call-aborted` that the call was dropped part-way.
 */
export type SipCallFailure = 'busy' | 'bad-address' | 'no-answer' | 'line-unavailable' | 'call-aborted' | 'not-fax';

const BY_STATUS: ReadonlyMap<number, SipCallFailure> = new Map([
  [486, 'busy'],
  [600, 'busy'],
  [404, 'bad-address'],
  [484, 'bad-address'],
  [604, 'bad-address'],
  [408, 'no-answer'],
  [480, 'no-answer'],
  [487, 'no-answer'],
  [503, 'line-unavailable'],
  // 488 and 606 refuse the offered session (T.38); 415 the body type.
  [415, 'not-fax'],
  [488, 'not-fax'],
  [606, 'not-fax'],
]);

/** The failure a 300–699 final response to an INVITE means; unlisted codes count as the line being unusable. */
export function callFailureOfStatus(status: number): SipCallFailure {
  return BY_STATUS.get(status) ?? 'line-unavailable';
}
