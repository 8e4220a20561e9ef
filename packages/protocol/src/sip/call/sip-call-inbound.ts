// Requests the peer sends into a call: retransmissions, ACK, CANCEL, re-INVITE, BYE, UPDATE, OPTIONS
// (RFC 3261 §12.2.2 in-dialog requests, §9.2 CANCEL, §13.3.1.4 ACK, §14.2 re-INVITE; RFC 4028 refreshes).

import { cseqOf } from '../message/sip-fields.js';
import { headerValues } from '../message/sip-headers.js';
import type { SipMessage, SipRequest } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { ServerInviteTransaction } from '../transaction/server-invite-transaction.js';
import { ServerNonInviteTransaction } from '../transaction/server-non-invite-transaction.js';
import { transactionKey } from '../transaction/transaction-key.js';
import { answerSessionTimer } from './session-timer.js';
import type { SipCallContext } from './sip-call-context.js';
import { applySessionTimer } from './sip-call-refresh.js';

/**
 * Server transactions one call keeps at most. A real peer has a handful open at once (its INVITE, a CANCEL or BYE, a
 * refresh), each kept 64*T1 after its answer; a flood of new requests in the call beyond this is answered 503 without
 * a transaction, so what the call holds stays bounded whatever arrives.
 */
export const MAX_SERVER_TRANSACTIONS = 32;
/** RFC 3261 §21.5.4: a 503 may say when to try again. */
const OVERLOAD_RETRY_AFTER_S = '5';

/** Takes a request the driver matched to this call by Call-ID. */
export function receiveRequest(call: SipCallContext, request: SipRequest, now: number): void {
  const key = transactionKey(request);
  const output = call.core.receiveRequest(key, request, now);
  if (output) {
    // RFC 6026 §7.1: an ACK for our 2xx that reuses the INVITE's branch reaches us through the transaction.
    if (output.deliver?.kind === 'request' && output.deliver.method === 'ACK') onAck(call, output.deliver, now);
    return;
  }
  if (request.method === 'ACK') {
    onAck(call, request, now);
    return;
  }
  if (call.core.serverCount >= MAX_SERVER_TRANSACTIONS) {
    const toTag = call.dialog?.localTag ?? call.localTag;
    const retryAfter = [{ name: 'Retry-After', value: OVERLOAD_RETRY_AFTER_S }];
    call.core.send(createSipResponse(request, 503, { toTag, headers: retryAfter }));
    return;
  }
  if (request.method === 'CANCEL') {
    onCancel(call, request, now);
    return;
  }
  if (request.method === 'INVITE') {
    const server = new ServerInviteTransaction(request, { ...call.transactionOptions, sendTrying: false });
    call.core.startServer(server, now);
    if (inDialogOrder(call, server, now)) onReInvite(call, server, now);
    return;
  }
  const server = new ServerNonInviteTransaction(request, call.transactionOptions);
  call.core.startServer(server, now);
  if (request.method === 'OPTIONS') {
    call.respond(server, 200, now);
    return;
  }
  if (!inDialogOrder(call, server, now)) return;
  if (request.method === 'BYE') {
    call.respond(server, 200, now);
    call.end({ reason: 'the far end hung up (BYE)', byPeer: true });
  } else if (request.method === 'UPDATE') {
    // RFC 4028 refreshes by UPDATE usually carry no SDP; one that does gets our current description back.
    const body = request.body.length > 0 ? call.sdp.last : undefined;
    const timer = answerSessionTimer(request);
    call.respond(server, 200, now, timer.headers, body);
    applySessionTimer(call, timer.timer, now);
  } else {
    call.respond(server, 501, now);
  }
}

/**
 * RFC 3261 §12.2.2: a request outside a live dialog gets 481, one whose CSeq is not above the last gets 500;
 * otherwise its CSeq becomes the last and it is for the caller to handle.
 */
function inDialogOrder(
  call: SipCallContext,
  server: ServerInviteTransaction | ServerNonInviteTransaction,
  now: number,
): boolean {
  const dialog = call.dialog;
  const seq = cseqOf(server.request).seq;
  if (!dialog || call.state === 'ended') {
    call.respond(server, 481, now);
    return false;
  }
  if (dialog.remoteSeq !== undefined && seq <= dialog.remoteSeq) {
    call.respond(server, 500, now);
    return false;
  }
  dialog.remoteSeq = seq;
  return true;
}

/** A re-INVITE: a refresh keeps the media untouched; a switch to T.38 is taken; glare gets 491. */
function onReInvite(call: SipCallContext, server: ServerInviteTransaction, now: number): void {
  const request = server.request;
  if (call.reInvite?.state === 'Calling' || call.reInvite?.state === 'Proceeding') {
    call.respond(server, 491, now);
    return;
  }
  if (call.pending2xx) {
    // RFC 3261 §14.2: an INVITE while ours awaits its ACK gets 500 with a Retry-After below 10 s.
    const retryAfter = String(1 + Math.floor(call.options.random() * 9));
    call.respond(server, 500, now, [{ name: 'Retry-After', value: retryAfter }]);
    return;
  }
  const timer = answerSessionTimer(request);
  const refresh = request.body.length === 0 || call.sdp.isRefreshOf(request.body);
  if (!refresh && call.mediaHeld) {
    // The fax is under way in-band: neither modems nor T.30 can carry over to other media (T.38 §7.3 switches only
    // before the fax starts). RFC 3261 §14.2: refusing the offer leaves the session as it was, and the fax carries on.
    call.respond(server, 488, now);
    return;
  }
  if (refresh) {
    // Session refresh (RFC 4028 §7.4): the same description again, the UDPTL stream left running.
    call.send2xx(server, call.sdp.last ?? new Uint8Array(0), now, timer.headers);
    applySessionTimer(call, timer.timer, now);
    return;
  }
  const answer = call.sdp.answer(request.body, call.sdp.current?.kind === 't38');
  if (!answer) {
    call.respond(server, 488, now);
    return;
  }
  call.send2xx(server, answer.body, now, timer.headers);
  applySessionTimer(call, timer.timer, now);
  if (answer.accepted.kind === 't38' || call.sdp.current?.kind !== 't38') call.commit(answer.accepted, now);
}

/**
 * The ACK for our 2xx stops its retransmission and confirms the dialog: the media our 2xx agreed starts, and audio
 * then asks for T.38 at once.
 */
function onAck(call: SipCallContext, request: SipRequest, now: number): void {
  const pending = call.pending2xx;
  if (!pending || cseqOf(request).seq !== pending.seq) return;
  call.pending2xx = undefined;
  call.core.clearTimers('retransmit2xx', 'noAck');
  if (call.state !== 'answered') return;
  call.state = 'confirmed';
  const agreed = call.acceptedIn2xx;
  const offer = call.offerIn2xx;
  if (agreed) {
    // The INVITE's offer was answered in the 2xx; only now that the ACK confirms the dialog does media start.
    call.acceptedIn2xx = undefined;
    call.commit(agreed, now);
  } else if (offer) {
    // RFC 3264 §4: the INVITE came without an offer, so ours went in the 2xx and the answer comes here.
    call.offerIn2xx = undefined;
    const accepted = call.sdp.read(offer, request.body);
    if (!accepted) {
      call.fail(now, 'the ACK answered our offer with no stream we can use');
      return;
    }
    call.commit(accepted, now);
  }
  if (call.sdp.current?.kind === 'audio') call.core.setTimer('switch', now);
}

function onCancel(call: SipCallContext, request: SipRequest, now: number): void {
  const server = new ServerNonInviteTransaction(request, call.transactionOptions);
  call.core.startServer(server, now);
  const invite = call.incoming;
  const branch = (message: SipMessage) => headerValues(message.headers, 'Via')[0];
  if (!invite || branch(invite.request) !== branch(request)) {
    call.respond(server, 481, now);
    return;
  }
  call.respond(server, 200, now);
  if (call.state !== 'offered') return;
  // RFC 3261 §9.2: the cancelled INVITE is answered 487.
  call.core.take(invite.respond(createSipResponse(invite.request, 487, { toTag: call.localTag }), now));
  call.end({ failure: 'call-aborted', reason: 'the caller cancelled', byPeer: true });
}
