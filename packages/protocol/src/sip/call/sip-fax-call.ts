// One fax call as a SIP user agent, sans I/O (RFC 3261 §12–§15 dialogs, INVITE, re-INVITE, CANCEL, BYE; RFC 4028
// refreshes): it places or answers the call, gets it onto T.38 and reports where to send UDPTL and how.

import { callIdOf, cseqOf } from '../message/sip-fields.js';
import type { SipMessage, SipRequest } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import { ServerInviteTransaction } from '../transaction/server-invite-transaction.js';
import { answerSessionTimer } from './session-timer.js';
import { SipCallContext } from './sip-call-context.js';
import type { CallTimer } from './sip-call-core.js';
import { receiveRequest } from './sip-call-inbound.js';
import { token } from './sip-call-messages.js';
import { receiveResponse, sendCancel, sendInvite } from './sip-call-outbound.js';
import { allowsUpdate, applySessionTimer, sendSessionRefresh } from './sip-call-refresh.js';
import type { SipCallOutput, SipCallState, SipCallTarget, SipFaxCallOptions } from './sip-call-types.js';
import { dialogFromRequest } from './sip-dialog.js';

export { MAX_SERVER_TRANSACTIONS } from './sip-call-inbound.js';
export type { SipCallEvent, SipCallOutput, SipCallState, SipCallTarget, SipFaxCallOptions } from './sip-call-types.js';

export class SipFaxCall {
  readonly callId: string;
  readonly #call: SipCallContext;

  private constructor(call: SipCallContext) {
    this.#call = call;
    this.callId = call.callId;
  }

  /** A call we place: sends the INVITE (T.38 offered, or audio with `audioFirst`). */
  static dial(
    target: SipCallTarget,
    options: SipFaxCallOptions,
    now: number,
  ): { call: SipFaxCall; output: SipCallOutput } {
    const context = new SipCallContext(options, `${token(options.random, 16)}@${options.local.host}`, 'calling');
    context.weOwnCallId = true;
    context.target = target;
    context.localTag = token(options.random, 10);
    sendInvite(context, now, []);
    context.core.setTimer('ringLimit', now + (options.ringLimitMs ?? 60_000));
    return { call: new SipFaxCall(context), output: context.core.flush() };
  }

  /** A call the peer places: sends 100 Trying; `accept` or `reject` it next. */
  static incoming(
    invite: SipRequest,
    options: SipFaxCallOptions,
    now: number,
  ): { call: SipFaxCall; output: SipCallOutput } {
    const context = new SipCallContext(options, callIdOf(invite), 'offered');
    // One To tag for every response to this INVITE: a 180, then the 200 (or 487, 488…) all name the same dialog.
    context.localTag = token(options.random, 10);
    const tx = new ServerInviteTransaction(invite, context.transactionOptions);
    context.incoming = tx;
    context.core.startServer(tx, now);
    return { call: new SipFaxCall(context), output: context.core.flush() };
  }

  get state(): SipCallState {
    return this.#call.state;
  }

  /**
   * The fax has started on the call's audio (the driver heard the far end's first T.30 frame): from now on a re-INVITE
   * that changes the media is answered 488 and the call no longer asks for T.38 itself, so the in-band fax carries on.
   */
  holdMedia(): void {
    this.#call.mediaHeld = true;
    this.#call.core.clearTimers('switch');
  }

  /** True once the call is over and no transaction is left to absorb retransmissions: forget it. */
  get finished(): boolean {
    return this.#call.state === 'ended' && this.#call.core.idle;
  }

  nextDeadline(): number | undefined {
    return this.#call.core.nextDeadline();
  }

  advance(now: number): SipCallOutput {
    this.#call.core.advance(now, this.#onTimer);
    return this.#call.core.flush();
  }

  /** Takes a message the driver matched to this call by Call-ID. */
  receive(message: SipMessage, now: number): SipCallOutput {
    if (message.kind === 'response') receiveResponse(this.#call, message, now);
    else receiveRequest(this.#call, message, now);
    return this.#call.core.flush();
  }

  /**
   * Answers the offered call: 200 with T.38 (or audio, switching to T.38 after the ACK), or 488 if neither fits. An
   * INVITE without a description gets our offer in the 200 (T.38, or audio with `audioFirst`) and its answer in the ACK.
   */
  accept(now: number): SipCallOutput {
    this.#accept(now);
    return this.#call.core.flush();
  }

  /**
   * Lets the offered call ring: 180 Ringing now, the answer (as `accept`) after `answerAfterMs`, unless the caller
   * cancels first (RFC 3261 §13.3.1.1 progress, §9.2 CANCEL).
   */
  ring(now: number, answerAfterMs: number): SipCallOutput {
    const call = this.#call;
    const tx = call.incoming;
    if (call.state !== 'offered' || !tx) throw new Error(`cannot ring a call in state ${call.state}`);
    call.core.take(tx.respond(createSipResponse(tx.request, 180, { toTag: call.localTag }), now));
    call.core.setTimer('answer', now + answerAfterMs);
    return call.core.flush();
  }

  #accept(now: number): void {
    const call = this.#call;
    const tx = call.incoming;
    if (call.state !== 'offered' || !tx) throw new Error(`cannot accept a call in state ${call.state}`);
    call.core.clearTimers('answer');
    const request = tx.request;
    const withOffer = request.body.length > 0;
    const answer = withOffer ? call.sdp.answer(request.body, false) : undefined;
    if (withOffer && !answer) {
      call.core.take(tx.respond(createSipResponse(request, 488, { toTag: call.localTag }), now));
      call.end({ failure: 'not-fax', reason: 'the offer holds neither T.38 nor G.711 audio', byPeer: false });
      return;
    }
    call.dialog = dialogFromRequest(request, call.localTag, cseqOf(request).seq);
    call.state = 'answered';
    call.peerAllowsUpdate = allowsUpdate(request);
    const timer = answerSessionTimer(request);
    if (answer) {
      call.send2xx(tx, answer.body, now, timer.headers);
      call.acceptedIn2xx = answer.accepted;
    } else {
      const offer = call.sdp.offer(call.options.audioFirst ? 'audio' : 't38');
      call.offerIn2xx = offer.session;
      call.send2xx(tx, offer.body, now, timer.headers);
    }
    applySessionTimer(call, timer.timer, now);
  }

  /** Declines the offered call with `status` (404 for a number not ours, 486 busy, 603 decline). */
  reject(status: number, now: number): SipCallOutput {
    this.#reject(status, now);
    return this.#call.core.flush();
  }

  /** Ends the call from this side: CANCEL while it rings, BYE once answered. */
  hangUp(now: number, reason = 'hung up'): SipCallOutput {
    this.#hangUp(now, reason);
    return this.#call.core.flush();
  }

  // The two below only gather output: a timer firing inside advance() must not flush it before advance returns it.
  #reject(status: number, now: number): void {
    const call = this.#call;
    const tx = call.incoming;
    if (call.state !== 'offered' || !tx) throw new Error(`cannot reject a call in state ${call.state}`);
    call.core.take(tx.respond(createSipResponse(tx.request, status, { toTag: call.localTag }), now));
    call.end({ reason: `declined with ${status}`, byPeer: false });
  }

  #hangUp(now: number, reason: string): void {
    const call = this.#call;
    if (call.state === 'calling') {
      if (call.provisional) sendCancel(call, now);
      else call.cancelWhenRinging = true;
      call.end({ reason, byPeer: false, failure: 'no-answer' });
    } else if (call.state === 'offered') {
      this.#reject(480, now);
    } else if (call.state !== 'ended') {
      call.sendBye(now);
      call.end({ reason, byPeer: false });
    }
  }

  readonly #onTimer: Record<CallTimer, (at: number) => void> = {
    retransmit2xx: (at) => {
      const pending = this.#call.pending2xx;
      if (!pending) return;
      this.#call.core.send(pending.response);
      pending.interval = Math.min(2 * pending.interval, this.#call.timers.T2);
      this.#call.core.setTimer('retransmit2xx', at + pending.interval);
    },
    noAck: (at) => {
      // RFC 3261 §13.3.1.4: no ACK within 64*T1 (Timer H's span) — the dialog ends with a BYE, its media never started.
      this.#call.pending2xx = undefined;
      this.#call.acceptedIn2xx = undefined;
      this.#call.core.clearTimers('retransmit2xx');
      if (this.#call.state === 'ended') return;
      this.#call.state = 'confirmed';
      this.#call.sendBye(at);
      this.#call.end({ failure: 'call-aborted', reason: 'no ACK for our 200 OK', byPeer: false });
    },
    switch: (at) => this.#call.sendReInvite(at),
    t38Wait: (at) => this.#call.fail(at, 'the call never switched to T.38'),
    ringLimit: (at) => this.#hangUp(at, 'nobody answered'),
    refresh: (at) => sendSessionRefresh(this.#call, at),
    answer: (at) => this.#accept(at),
  };
}
