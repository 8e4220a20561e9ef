// The session refreshes a fax call sends when it is the refresher (RFC 4028 §7.4, §10): UPDATE without a body when
// the far end allows it, else a re-INVITE with the unchanged description, so the UDPTL stream is never touched.

import { headerValues } from '../message/sip-headers.js';
import type { SipHeader, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { ClientNonInviteTransaction } from '../transaction/client-non-invite-transaction.js';
import { minimumInterval, readSessionTimer, refreshHeaders, type SessionTimer } from './session-timer.js';
import type { SipCallContext } from './sip-call-context.js';
import { createDialogRequest } from './sip-dialog.js';

/** How long a refresh waits behind an INVITE transaction still open in either direction. */
const BUSY_RETRY_MS = 1_000;

/** Whether the far end lists UPDATE in the Allow of `message` (its INVITE or its 2xx). */
export function allowsUpdate(message: SipRequest | SipResponse): boolean {
  return headerValues(message.headers, 'Allow').some((method) => method.trim().toUpperCase() === 'UPDATE');
}

/** Takes the timer a 2xx settled: arms our refresh at half the interval when we are the refresher. */
export function applySessionTimer(call: SipCallContext, timer: SessionTimer | undefined, now: number): void {
  call.sessionTimer = timer;
  if (timer?.weRefresh) call.core.setTimer('refresh', now + (timer.interval * 1000) / 2);
  else call.core.clearTimers('refresh');
}

export function sendSessionRefresh(call: SipCallContext, now: number): void {
  const dialog = call.dialog;
  const timer = call.sessionTimer;
  if (!dialog || call.state !== 'confirmed' || !timer) return;
  const headers: SipHeader[] = [...call.commonHeaders(), ...refreshHeaders(timer)];
  if (call.peerAllowsUpdate) {
    const update = createDialogRequest(dialog, 'UPDATE', call.via(), { headers });
    const tx = new ClientNonInviteTransaction(update, call.transactionOptions);
    call.core.startClient(tx, refreshHandlers(call, timer), now);
    return;
  }
  if (call.reInvite || call.pending2xx) {
    call.core.setTimer('refresh', now + BUSY_RETRY_MS);
    return;
  }
  call.startReInvite(headers, call.sdp.last ?? new Uint8Array(0), refreshHandlers(call, timer), now);
}

/**
 * What a refresh's answer does (RFC 4028 §10): a 2xx re-arms the timer; 422 retries at the far end's Min-SE; 491
 * retries after the glare back-off; 408, 481 or silence mean the session is gone, so the call ends with BYE. Any other
 * refusal leaves the call up: the far end keeps the session as long as it wants it.
 */
function refreshHandlers(call: SipCallContext, timer: SessionTimer) {
  return {
    onResponse: (response: SipResponse, at: number) => {
      if (response.status < 200 || call.state !== 'confirmed') return;
      if (response.status < 300) {
        applySessionTimer(call, readSessionTimer(response) ?? timer, at);
      } else if (response.status === 422) {
        const interval = Math.max(timer.interval, minimumInterval(response) ?? 0);
        if (interval > timer.interval) {
          call.sessionTimer = { ...timer, interval };
          sendSessionRefresh(call, at);
        }
      } else if (response.status === 491) {
        call.core.setTimer('refresh', at + call.glareDelay());
      } else if (response.status === 408 || response.status === 481) {
        lose(call, at, `${response.status} ${response.reason}`);
      }
    },
    onTimeout: (at: number) => lose(call, at, 'no answer'),
  };
}

function lose(call: SipCallContext, now: number, why: string): void {
  if (call.state !== 'confirmed') return;
  call.sendBye(now);
  call.end({ failure: 'call-aborted', reason: `the session refresh found the session gone (${why})`, byPeer: false });
}
