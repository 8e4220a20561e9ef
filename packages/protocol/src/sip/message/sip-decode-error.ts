// SipDecodeError: the DecodeError SIP and SDP decoders throw, carrying a short reason fit for a 400 reason phrase.
import { DecodeError } from '../../bits/decode-error.js';
import type { SipMessage } from './sip-message-types.js';

export class SipDecodeError extends DecodeError {
  /** What was wrong in a few words without CR or LF, e.g. `Missing Call-ID header` (for a 400, RFC 3261 §21.4.1). */
  readonly reason: string;
  /**
   * The message as far as it was read, when its start line and header section were well formed but a header's
   * value, a mandatory header, or the body was wrong: a UAS answers such a request with 400 (RFC 3261 §8.2).
   */
  readonly partial: SipMessage | undefined;

  constructor(reason: string, offset: number, partial?: SipMessage) {
    super(reason, offset);
    this.reason = reason.replace(/[\r\n]+/g, ' ');
    this.partial = partial;
  }
}
