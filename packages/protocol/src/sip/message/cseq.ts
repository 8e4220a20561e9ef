// The CSeq header (RFC 3261 §20.16, §8.1.1.5): a sequence number below 2^31 and the request's method.
import { SipDecodeError } from './sip-decode-error.js';
import { decodeDecimal, isToken } from './sip-syntax.js';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** RFC 3261 §8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer and less than 2^31. */
export const MAX_CSEQ = 0x7fffffff;

export function decodeCSeq(text: string): CSeq {
  const match = /^\s*([0-9]+)\s+(\S+)\s*$/.exec(text);
  if (!match || !isToken(match[2])) throw new SipDecodeError('Bad CSeq header', 0);
  const seq = decodeDecimal(match[1], 10, 'CSeq number');
  if (seq > MAX_CSEQ) throw new SipDecodeError('Bad CSeq number', 0);
  return { seq, method: match[2] };
}

export function encodeCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
