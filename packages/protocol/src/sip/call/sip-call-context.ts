// The state one fax call keeps across its transactions, and what both directions do once a dialog exists
// (RFC 3261 §12 dialogs, §13.3.1.4 2xx until ACK, §14 re-INVITE and glare, §15 BYE).
import type { SdpSession } from '../../sdp/sdp.js';
import type { SdpAcceptedStream } from '../../sdp/sdp-offer-answer.js';
import { cseqOf } from '../message/sip-fields.js';
import type { SipHeader, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { createSipResponse } from '../message/sip-response.js';
import type { Via } from '../message/via.js';
import { ClientInviteTransaction } from '../transaction/client-invite-transaction.js';
import { ClientNonInviteTransaction } from '../transaction/client-non-invite-transaction.js';
import type { ServerInviteTransaction } from '../transaction/server-invite-transaction.js';
import type { ServerNonInviteTransaction } from '../transaction/server-non-invite-transaction.js';
import { SIP_TIMER_DEFAULTS, type SipTimerValues, type TransactionOptions } from '../transaction/transaction-core.js';
import { FaxCallSdp } from './fax-call-sdp.js';
import type { SessionTimer } from './session-timer.js';
import { type ClientHandlers, SipCallCore } from './sip-call-core.js';
import { commonCallHeaders, createCallVia, token } from './sip-call-messages.js';
import type { SipCallEnding, SipCallState, SipCallTarget, SipFaxCallOptions } from './sip-call-types.js';
import { createDialogRequest, type SipDialog } from './sip-dialog.js';

/** A 2xx to an INVITE of the peer's, repeated until its ACK (RFC 3261 §13.3.1.4). */
interface Pending2xx {
  readonly response: SipResponse;
  readonly seq: number;
  interval: number;
}

export class SipCallContext {
  readonly callId: string;
  state: SipCallState;
  readonly options: SipFaxCallOptions;
  readonly timers: SipTimerValues;
  /** What every transaction of the call is built with: over TCP, RFC 3261 §17 sends each message once. */
  readonly transactionOptions: TransactionOptions;
  readonly sdp: FaxCallSdp;
  readonly core = new SipCallCore();
  dialog: SipDialog | undefined;
  weOwnCallId = false;
  /** Our tag: From of the calls we place, To of every response to an INVITE we are offered. */
  localTag = '';
  // Calls we place: the INVITE in flight, its ACK once answered, and what a hang-up before the answer must do.
  target: SipCallTarget | undefined;
  offer: SdpSession | undefined;
  inviteSeq = 0;
  invite: ClientInviteTransaction | undefined;
  ack: SipRequest | undefined;
  provisional = false;
  cancelWhenRinging = false;
  authTried = false;
  // Calls we answer: the INVITE's transaction and the 2xx awaiting its ACK.
  incoming: ServerInviteTransaction | undefined;
  pending2xx: Pending2xx | undefined;
  reInvite: ClientInviteTransaction | undefined;
  /** Our offer, when the peer's INVITE came without one and our 2xx offered (its answer comes in the ACK). */
  offerIn2xx: SdpSession | undefined;
  /**
   * The stream our 2xx accepted from the peer's offer, committed once the ACK confirms the dialog: before it, the
   * INVITE's source and the address its SDP names are unproven, and media toward them would reflect (RFC 3261 §26.1.5
   * amplification, RFC 5245 §2 on unverified media addresses).
   */
  acceptedIn2xx: SdpAcceptedStream | undefined;
  // RFC 4028: the interval and refresher agreed, and whether refreshes may go as UPDATE.
  sessionTimer: SessionTimer | undefined;
  peerAllowsUpdate = false;
  /** The far end refused T.38 (488 or 606 to an offer of it): we do not ask for it again. */
  t38Refused = false;
  /**
   * The fax has started on the call's audio (the far end's first T.30 frame): its modems and T.30 state cannot move to
   * T.38 now, so a change of media either way is refused and only refreshes of the same stream are answered.
   */
  mediaHeld = false;

  constructor(options: SipFaxCallOptions, callId: string, state: SipCallState) {
    this.options = options;
    this.timers = { ...SIP_TIMER_DEFAULTS, ...options.timers };
    this.transactionOptions = { timers: this.timers, reliable: (options.local.transport ?? 'UDP') !== 'UDP' };
    this.callId = callId;
    this.state = state;
    this.sdp = new FaxCallSdp(options.media, String(Math.floor(options.random() * 1e9)));
  }

  via(): Via {
    return createCallVia(this.options.local, this.options.random);
  }

  commonHeaders(): SipHeader[] {
    return commonCallHeaders(this.options.local, this.options.user);
  }

  /** Puts the call on the accepted stream: T.38 is reported; audio waits for a switch, ours or theirs. */
  commit(accepted: NonNullable<FaxCallSdp['current']>, now: number): void {
    this.sdp.current = accepted;
    if (accepted.kind === 't38') {
      this.core.clearTimers('switch', 't38Wait');
      this.core.emit({ type: 'media', remote: accepted.remote, session: accepted.session });
      return;
    }
    if (this.options.audioFax) {
      // Faxed in-band from the start: a gateway's fax machine sends CED or CNG at once and runs its T.30 timers, so
      // waiting for the switch first would cost it its first DIS. T.38 still wins if it comes before the fax starts.
      this.core.emit({ type: 'audio', remote: accepted.remote, selection: accepted.selection });
    } else if (!this.core.hasTimer('t38Wait')) {
      this.core.setTimer('t38Wait', now + (this.options.t38WaitMs ?? 30_000));
    }
    // The answering side asks at once (it would detect CED/V.21 now); the caller gives the far end time to ask. A callee
    // that has already refused our T.38 offer is not asked again.
    if (this.state === 'confirmed' && this.weOwnCallId && !this.t38Refused) {
      this.core.setTimer('switch', now + (this.options.switchDelayMs ?? 3_000));
    }
  }

  /** Asks the far end to move the call from audio to T.38, unless an INVITE either way is still open. */
  sendReInvite(now: number): void {
    if (!this.dialog || this.state !== 'confirmed' || this.reInvite || this.pending2xx || this.mediaHeld) return;
    const { session, body } = this.sdp.offer('t38');
    this.startReInvite(
      this.commonHeaders(),
      body,
      {
        onResponse: (response, at) => {
          if (response.status < 300) {
            const accepted = this.sdp.read(session, response.body);
            if (accepted?.kind === 't38') this.commit(accepted, at);
            else this.fail(at, 'the far end answered the switch to T.38 without T.38');
            return;
          }
          this.sdp.withdraw();
          if (response.status === 491) {
            this.core.setTimer('switch', at + this.glareDelay());
          } else if (this.sdp.current?.kind !== 't38' && !this.options.audioFax) {
            this.fail(at, `the far end refused T.38 (${response.status} ${response.reason})`);
          }
        },
        // With audioFax a refused or lost switch leaves the fax on the audio it already runs on.
        onTimeout: (at) => {
          this.sdp.withdraw();
          if (!this.options.audioFax) this.fail(at, 'no response to the re-INVITE for T.38');
        },
      },
      now,
    );
  }

  /**
   * Sends a re-INVITE carrying `body` in the dialog, holding the one INVITE slot until its final answer: every 2xx
   * is ACKed, and the first final answer (or the timeout) goes to `handlers`.
   */
  startReInvite(headers: readonly SipHeader[], body: Uint8Array, handlers: ClientHandlers, now: number): void {
    const dialog = this.dialog as SipDialog;
    const request = createDialogRequest(dialog, 'INVITE', this.via(), {
      headers: [...headers, { name: 'Content-Type', value: 'application/sdp' }],
      body,
    });
    const tx = new ClientInviteTransaction(request, this.transactionOptions);
    this.reInvite = tx;
    this.core.startClient(
      tx,
      {
        onResponse: (response, at) => {
          if (response.status < 200) return;
          if (response.status < 300) {
            this.core.send(createDialogRequest(dialog, 'ACK', this.via(), { cseq: cseqOf(request).seq }));
          }
          if (this.reInvite !== tx) return;
          this.reInvite = undefined;
          handlers.onResponse(response, at);
        },
        onTimeout: (at) => {
          if (this.reInvite === tx) this.reInvite = undefined;
          handlers.onTimeout(at);
        },
      },
      now,
    );
  }

  /** RFC 3261 §14.1: after a 491 the Call-ID's owner waits 2.1–4 s, the other end 0–2 s, in 10 ms steps. */
  glareDelay(): number {
    const [from, span] = this.weOwnCallId ? [2_100, 1_900] : [0, 2_000];
    return from + Math.floor((this.options.random() * span) / 10) * 10;
  }

  /** Hangs up a call that cannot carry a fax. */
  fail(now: number, reason: string): void {
    this.sendBye(now);
    this.end({ failure: 'not-fax', reason, byPeer: false });
  }

  sendBye(now: number): void {
    if (!this.dialog) return;
    const bye = createDialogRequest(this.dialog, 'BYE', this.via(), { headers: this.commonHeaders() });
    this.core.startClient(
      new ClientNonInviteTransaction(bye, this.transactionOptions),
      { onResponse: () => {}, onTimeout: () => {} },
      now,
    );
  }

  /** Answers an INVITE of the peer's with 200 and keeps repeating it until the ACK (or gives up after 64*T1). */
  send2xx(tx: ServerInviteTransaction, body: Uint8Array, now: number, extra: readonly SipHeader[] = []): void {
    const dialog = this.dialog as SipDialog;
    const response = createSipResponse(tx.request, 200, {
      toTag: dialog.localTag,
      headers: [...this.commonHeaders(), ...extra, { name: 'Content-Type', value: 'application/sdp' }],
      body,
    });
    this.core.take(tx.respond(response, now));
    this.pending2xx = { response, seq: cseqOf(tx.request).seq, interval: this.timers.T1 };
    this.core.setTimer('retransmit2xx', now + this.timers.T1);
    this.core.setTimer('noAck', now + 64 * this.timers.T1);
  }

  /** Any other answer to a request of the peer's, in the dialog's To tag when there is a dialog. */
  respond(
    server: ServerInviteTransaction | ServerNonInviteTransaction,
    status: number,
    now: number,
    headers: readonly SipHeader[] = [],
    body?: Uint8Array,
  ): void {
    const toTag = this.dialog?.localTag ?? token(this.options.random, 10);
    const all = [...headers, ...(body ? [{ name: 'Content-Type', value: 'application/sdp' }] : [])];
    const response = createSipResponse(server.request, status, { toTag, headers: all, ...(body && { body }) });
    this.core.take(server.respond(response, now));
  }

  end(event: SipCallEnding): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.core.clearTimers('switch', 't38Wait', 'ringLimit', 'refresh', 'answer');
    this.core.emit({ type: 'ended', ...event });
  }
}
