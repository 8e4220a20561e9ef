// Matching messages to transactions (RFC 3261 §17.1.3 for responses, §17.2.3 for requests).

import { tagOf } from '../message/name-addr.js';
import { callIdOf, cseqOf, fromOf, topViaOf } from '../message/sip-fields.js';
import type { SipMessage } from '../message/sip-message-types.js';
import { BRANCH_MAGIC_COOKIE, branchOf, encodeVia } from '../message/via.js';

/**
 * The key under which a transaction is kept; a response or request with the same key belongs to it. With an RFC 3261
 * branch (magic cookie) that is the top Via's branch and sent-by plus the CSeq method, with ACK counted as INVITE
 * (the ACK for a non-2xx response is part of the INVITE server transaction, §17.2.3). CANCEL keeps its own method, so
 * it forms its own transaction beside the INVITE it cancels. A client transaction's responses carry its own Via back,
 * so the same key serves both sides; the driver should keep client and server transactions in separate maps.
 *
 * For requests from RFC 2543 elements (branch without the cookie), §17.2.3 compares Request-URI, tags, Call-ID, CSeq
 * and top Via instead; this key uses all of them but the To tag, which an ACK gains from the response it acknowledges.
 */
export function transactionKey(message: SipMessage): string {
  const via = topViaOf(message);
  const cseq = cseqOf(message);
  const method = cseq.method === 'ACK' ? 'INVITE' : cseq.method;
  const branch = branchOf(via);
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  if (branch?.startsWith(BRANCH_MAGIC_COOKIE)) return `${branch}|${sentBy}|${method}`;
  const uri = message.kind === 'request' ? message.uri : '';
  const fromTag = tagOf(fromOf(message)) ?? '';
  return `rfc2543|${uri}|${fromTag}|${callIdOf(message)}|${cseq.seq}|${encodeVia(via)}|${method}`;
}
