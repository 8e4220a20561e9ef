// The shapes of SIP requests, responses and header fields (RFC 3261 §7); a leaf every other SIP module may import.

/** One header field line; a list header decoded from `Via: a, b` becomes two entries (RFC 3261 §7.3.1 allows both). */
export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  /** The Request-URI as written (sip:, sips: or tel:); `decodeSipUri` parses the SIP kinds. */
  readonly uri: string;
  readonly headers: readonly SipHeader[];
  readonly body: Uint8Array;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly SipHeader[];
  readonly body: Uint8Array;
}

export type SipMessage = SipRequest | SipResponse;
