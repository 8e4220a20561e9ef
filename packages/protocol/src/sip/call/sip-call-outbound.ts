// The INVITE of a call we place and the responses to our requests: ringing, answer and ACK, digest challenge,
// CANCEL (RFC 3261 §13.2 UAC INVITE, §13.2.2.4 ACK for 2xx, §9.1 CANCEL, §22.2 authentication).

import {
  chooseDigestChallenge,
  createDigestCredentials,
  decodeDigestChallenge,
  encodeDigestCredentials,
} from '../auth/digest-auth.js';
import { cseqOf } from '../message/sip-fields.js';
import { headerValues } from '../message/sip-headers.js';
import type { SipHeader, SipResponse } from '../message/sip-message-types.js';
import { createCancel, createSipRequest } from '../message/sip-request.js';
import { ClientInviteTransaction } from '../transaction/client-invite-transaction.js';
import { ClientNonInviteTransaction } from '../transaction/client-non-invite-transaction.js';
import { transactionKey } from '../transaction/transaction-key.js';
import { callFailureOfStatus } from './call-failure.js';
import { readSessionTimer } from './session-timer.js';
import type { SipCallContext } from './sip-call-context.js';
import { token } from './sip-call-messages.js';
import { allowsUpdate, applySessionTimer } from './sip-call-refresh.js';
import type { SipCallTarget } from './sip-call-types.js';
import { createDialogRequest, dialogFromResponse } from './sip-dialog.js';

/**
 * Sends a (new) INVITE for the call's target with a fresh offer: T.38, or audio with `audioFirst` or once the callee
 * has refused T.38.
 */
export function sendInvite(call: SipCallContext, now: number, authorization: readonly SipHeader[]): void {
  const target = call.target as SipCallTarget;
  const { session, body } = call.sdp.offer(call.options.audioFirst || call.t38Refused ? 'audio' : 't38');
  call.offer = session;
  call.inviteSeq += 1;
  const invite = createSipRequest({
    method: 'INVITE',
    uri: target.uri,
    via: call.via(),
    from: { uri: target.from, params: new Map([['tag', call.localTag]]) },
    to: { uri: target.to ?? target.uri, params: new Map() },
    callId: call.callId,
    cseq: call.inviteSeq,
    headers: [...call.commonHeaders(), ...authorization, { name: 'Content-Type', value: 'application/sdp' }],
    body,
  });
  const tx = new ClientInviteTransaction(invite, call.transactionOptions);
  call.invite = tx;
  call.provisional = false;
  call.core.startClient(
    tx,
    {
      onResponse: (response, at) => onInviteResponse(call, tx, response, at),
      onTimeout: () => call.end({ failure: 'no-answer', reason: 'no response to INVITE (Timer B)', byPeer: false }),
    },
    now,
  );
}

/** Cancels our INVITE (RFC 3261 §9.1: a CANCEL may go only once the INVITE has drawn a provisional response). */
export function sendCancel(call: SipCallContext, now: number): void {
  const invite = call.invite;
  if (!invite) return;
  const tx = new ClientNonInviteTransaction(createCancel(invite.request), call.transactionOptions);
  call.core.startClient(tx, { onResponse: () => {}, onTimeout: () => {} }, now);
}

/** Takes a response the driver matched to this call: to its transaction, or a 2xx that outlived it. */
export function receiveResponse(call: SipCallContext, response: SipResponse, now: number): void {
  let key: string;
  try {
    key = transactionKey(response);
  } catch {
    return;
  }
  if (call.core.receiveResponse(key, response, now)) return;
  if (call.ack && response.status < 300 && response.status >= 200 && cseqOf(response).method === 'INVITE') {
    // The 2xx outlived its transaction: still ACK it (RFC 3261 §13.2.2.4).
    call.core.send(call.ack);
  }
}

function onInviteResponse(call: SipCallContext, tx: ClientInviteTransaction, response: SipResponse, now: number): void {
  if (response.status < 200) {
    call.provisional = true;
    if (call.cancelWhenRinging) {
      call.cancelWhenRinging = false;
      sendCancel(call, now);
    }
    return;
  }
  if (response.status < 300) {
    onInviteAnswered(call, tx, response, now);
    return;
  }
  if ((response.status === 401 || response.status === 407) && retryWithCredentials(call, tx, response, now)) return;
  if (call.state === 'ended') return;
  if (refusedT38(call, response.status)) {
    // RFC 3261 §21.4.26, §21.6.4: the callee cannot take the session offered (T.38). With audioFax the same call tries
    // again (a new transaction, CSeq one higher, as after a challenge) offering G.711, and the fax goes in-band. A
    // proxy that challenged the first INVITE challenges this one too: its credentials are computed afresh.
    call.t38Refused = true;
    call.authTried = false;
    sendInvite(call, now, []);
    return;
  }
  call.end({
    failure: callFailureOfStatus(response.status),
    reason: `${response.status} ${response.reason}`,
    byPeer: false,
  });
}

function onInviteAnswered(call: SipCallContext, tx: ClientInviteTransaction, response: SipResponse, now: number): void {
  if (call.dialog && call.ack) {
    // A retransmitted 2xx: our ACK was lost (RFC 3261 §13.2.2.4).
    call.core.send(call.ack);
    return;
  }
  call.dialog = dialogFromResponse(tx.request, response, call.inviteSeq);
  call.ack = createDialogRequest(call.dialog, 'ACK', call.via(), { cseq: call.inviteSeq });
  call.core.send(call.ack);
  call.core.clearTimers('ringLimit');
  if (call.state === 'ended') {
    // We hung up while it rang and the answer crossed our CANCEL: end the call properly.
    call.sendBye(now);
    return;
  }
  call.state = 'confirmed';
  call.peerAllowsUpdate = allowsUpdate(response);
  applySessionTimer(call, readSessionTimer(response), now);
  const accepted = call.offer && call.sdp.read(call.offer, response.body);
  if (!accepted) {
    call.sendBye(now);
    call.end({ failure: 'not-fax', reason: 'the answer accepted no stream', byPeer: false });
    return;
  }
  call.commit(accepted, now);
}

/** Whether a final response refuses our T.38 offer on a call that may fall back to audio (once). */
function refusedT38(call: SipCallContext, status: number): boolean {
  return (
    (status === 488 || status === 606) &&
    call.options.audioFax === true &&
    !call.options.audioFirst &&
    !call.t38Refused &&
    call.state === 'calling'
  );
}

/** RFC 3261 §22.2: answer a challenge once with credentials (again only if the nonce was merely stale). */
function retryWithCredentials(
  call: SipCallContext,
  tx: ClientInviteTransaction,
  response: SipResponse,
  now: number,
): boolean {
  const credentials = call.options.credentials;
  const header = response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  let challenges: ReturnType<typeof decodeDigestChallenge>[];
  try {
    challenges = headerValues(response.headers, header).map(decodeDigestChallenge);
  } catch {
    return false;
  }
  const challenge = chooseDigestChallenge(challenges);
  if (!credentials || !challenge || (call.authTried && !challenge.stale) || call.state !== 'calling') return false;
  call.authTried = true;
  const value = encodeDigestCredentials(
    createDigestCredentials(challenge, {
      ...credentials,
      method: 'INVITE',
      uri: tx.request.uri,
      cnonce: token(call.options.random, 12),
    }),
  );
  sendInvite(call, now, [{ name: response.status === 401 ? 'Authorization' : 'Proxy-Authorization', value }]);
  return true;
}
