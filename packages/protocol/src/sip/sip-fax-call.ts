// One fax call as a SIP user agent, sans I/O (RFC 3261 §12–§15 dialogs, INVITE, re-INVITE, CANCEL, BYE; RFC 4028
// refreshes): it places or answers the call, gets it onto T.38 and reports where to send UDPTL and how.
import type { SdpSession } from '../sdp/sdp.js';
import type { SdpRemoteMedia } from '../sdp/sdp-offer-answer.js';
import type { T38Session } from '../sdp/t38-offer-answer.js';
import { callFailureOfStatus, type SipCallFailure } from './call-failure.js';
import { ClientInviteTransaction } from './client-invite-transaction.js';
import { ClientNonInviteTransaction } from './client-non-invite-transaction.js';
import {
  chooseDigestChallenge,
  createDigestCredentials,
  decodeDigestChallenge,
  encodeDigestCredentials,
} from './digest-auth.js';
import { type FaxCallMedia, FaxCallSdp } from './fax-call-sdp.js';
import { ServerInviteTransaction } from './server-invite-transaction.js';
import { ServerNonInviteTransaction } from './server-non-invite-transaction.js';
import { createDialogRequest, dialogFromRequest, dialogFromResponse, type SipDialog } from './sip-dialog.js';
import { callIdOf, cseqOf } from './sip-fields.js';
import { headerValue, headerValues, type SipHeader } from './sip-headers.js';
import type { SipMessage, SipRequest, SipResponse } from './sip-message.js';
import { createCancel, createSipRequest } from './sip-request.js';
import { createSipResponse } from './sip-response.js';
import { SIP_TIMER_DEFAULTS, type SipTimerValues, type TransactionOutput } from './transaction-core.js';
import { transactionKey } from './transaction-key.js';
import { BRANCH_MAGIC_COOKIE, type Via } from './via.js';

export type SipCallEvent =
  /** The call carries T.38 now (or again, elsewhere): send UDPTL to `remote` within `session`'s limits. */
  | { readonly type: 'media'; readonly remote: SdpRemoteMedia; readonly session: T38Session }
  /** The call is over for the fax; `byPeer` when the far end hung up (BYE or CANCEL). */
  | { readonly type: 'ended'; readonly failure?: SipCallFailure; readonly reason: string; readonly byPeer: boolean };

export interface SipCallOutput {
  readonly send: SipMessage[];
  readonly events: SipCallEvent[];
}

export interface SipFaxCallOptions {
  /** Where the peer reaches our SIP socket: Via sent-by and Contact. */
  readonly local: { readonly host: string; readonly port: number };
  /** Our user part (number) for Contact and, on calls we place, From. */
  readonly user: string;
  readonly media: FaxCallMedia;
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Uniform in [0, 1): tags, branches, Call-IDs, cnonces and the glare back-off come from it. */
  readonly random: () => number;
  readonly timers?: Partial<SipTimerValues>;
  /** Offer audio first on calls we place and switch to T.38 later (default: offer T.38 at once). */
  readonly audioFirst?: boolean;
  /** On audio, how long we wait for the far end to ask for T.38 before asking ourselves (the caller; default 3 s). */
  readonly switchDelayMs?: number;
  /** How long a call may stay on audio before it ends as not-fax (default 30 s). */
  readonly t38WaitMs?: number;
  /** How long a call we place may ring (default 60 s). */
  readonly ringLimitMs?: number;
}

export interface SipCallTarget {
  /** Request-URI of the INVITE, e.g. `sip:5550100@pbx.example:5060`. */
  readonly uri: string;
  /** The To URI; the Request-URI unless given. */
  readonly to?: string;
  /** Our From URI. */
  readonly from: string;
}

export type SipCallState = 'calling' | 'offered' | 'answered' | 'confirmed' | 'ended';
type CallTimer = 'retransmit2xx' | 'noAck' | 'switch' | 't38Wait' | 'ringLimit';
type ClientTransaction = ClientInviteTransaction | ClientNonInviteTransaction;
interface ClientEntry {
  readonly tx: ClientTransaction;
  onResponse(response: SipResponse, now: number): void;
  onTimeout(now: number): void;
}
/** A 2xx to an INVITE of the peer's, repeated until its ACK (RFC 3261 §13.3.1.4). */
interface Pending2xx {
  readonly response: SipResponse;
  readonly seq: number;
  interval: number;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE';

export class SipFaxCall {
  readonly callId: string;
  #state: SipCallState;
  readonly #options: SipFaxCallOptions;
  readonly #timers: SipTimerValues;
  readonly #sdp: FaxCallSdp;
  readonly #clients = new Map<string, ClientEntry>();
  readonly #servers = new Map<string, ServerInviteTransaction | ServerNonInviteTransaction>();
  readonly #deadlines = new Map<CallTimer, number>();
  #output: { send: SipMessage[]; events: SipCallEvent[] } = { send: [], events: [] };
  #dialog: SipDialog | undefined;
  #weOwnCallId = false;
  // Calls we place: the INVITE in flight, its ACK once answered, and what a hang-up before the answer must do.
  #invite: ClientInviteTransaction | undefined;
  #ack: SipRequest | undefined;
  #provisional = false;
  #cancelWhenRinging = false;
  #authTried = false;
  // Calls we answer: the INVITE's transaction and the 2xx awaiting its ACK.
  #incoming: ServerInviteTransaction | undefined;
  #pending2xx: Pending2xx | undefined;
  #reInvite: ClientInviteTransaction | undefined;
  #target: SipCallTarget | undefined;
  #localTag = '';
  #offer: SdpSession | undefined;
  #inviteSeq = 0;

  private constructor(options: SipFaxCallOptions, callId: string, state: SipCallState) {
    this.#options = options;
    this.#timers = { ...SIP_TIMER_DEFAULTS, ...options.timers };
    this.callId = callId;
    this.#state = state;
    this.#sdp = new FaxCallSdp(options.media, String(Math.floor(options.random() * 1e9)));
  }

  /** A call we place: sends the INVITE (T.38 offered, or audio with `audioFirst`). */
  static dial(
    target: SipCallTarget,
    options: SipFaxCallOptions,
    now: number,
  ): { call: SipFaxCall; output: SipCallOutput } {
    const call = new SipFaxCall(options, `${token(options.random, 16)}@${options.local.host}`, 'calling');
    call.#weOwnCallId = true;
    call.#target = target;
    call.#localTag = token(options.random, 10);
    call.#sendInvite(now, []);
    call.#setTimer('ringLimit', now + (options.ringLimitMs ?? 60_000));
    return { call, output: call.#flush() };
  }

  /** A call the peer places: sends 100 Trying; `accept` or `reject` it next. */
  static incoming(
    invite: SipRequest,
    options: SipFaxCallOptions,
    now: number,
  ): { call: SipFaxCall; output: SipCallOutput } {
    const call = new SipFaxCall(options, callIdOf(invite), 'offered');
    const tx = new ServerInviteTransaction(invite, { timers: call.#timers });
    call.#incoming = tx;
    call.#servers.set(tx.key, tx);
    call.#take(tx.start(now));
    return { call, output: call.#flush() };
  }

  get state(): SipCallState {
    return this.#state;
  }

  /** True once the call is over and no transaction is left to absorb retransmissions: forget it. */
  get finished(): boolean {
    return this.#state === 'ended' && this.#clients.size === 0 && this.#servers.size === 0;
  }

  nextDeadline(): number | undefined {
    const all = [...this.#deadlines.values()];
    for (const { tx } of this.#clients.values()) all.push(tx.nextDeadline() ?? Number.POSITIVE_INFINITY);
    for (const tx of this.#servers.values()) all.push(tx.nextDeadline() ?? Number.POSITIVE_INFINITY);
    const next = Math.min(...all);
    return Number.isFinite(next) ? next : undefined;
  }

  advance(now: number): SipCallOutput {
    for (const [key, entry] of [...this.#clients]) this.#takeClient(key, entry, entry.tx.advance(now), now);
    for (const [key, tx] of [...this.#servers]) this.#takeServer(key, tx.advance(now));
    for (const [timer, at] of [...this.#deadlines]) {
      if (at > now || this.#deadlines.get(timer) !== at) continue;
      this.#deadlines.delete(timer);
      this.#onTimer[timer](at);
    }
    return this.#flush();
  }

  /** Takes a message the driver matched to this call by Call-ID. */
  receive(message: SipMessage, now: number): SipCallOutput {
    if (message.kind === 'response') this.#onResponse(message, now);
    else this.#onRequest(message, now);
    return this.#flush();
  }

  /** Answers the offered call: 200 with T.38 (or audio, switching to T.38 after the ACK), or 488 if neither fits. */
  accept(now: number): SipCallOutput {
    const tx = this.#incoming;
    if (this.#state !== 'offered' || !tx) throw new Error(`cannot accept a call in state ${this.#state}`);
    const answer = tx.request.body.length > 0 ? this.#sdp.answer(tx.request.body, false) : undefined;
    if (!answer) {
      this.#take(tx.respond(createSipResponse(tx.request, 488, { toTag: token(this.#options.random, 10) }), now));
      this.#end({ failure: 'not-fax', reason: 'the offer holds neither T.38 nor G.711 audio', byPeer: false });
      return this.#flush();
    }
    const localTag = token(this.#options.random, 10);
    this.#dialog = dialogFromRequest(tx.request, localTag, cseqOf(tx.request).seq);
    this.#state = 'answered';
    this.#send2xx(tx, answer.body, now);
    this.#commit(answer.accepted, now);
    return this.#flush();
  }

  /** Declines the offered call with `status` (404 for a number not ours, 486 busy, 603 decline). */
  reject(status: number, now: number): SipCallOutput {
    const tx = this.#incoming;
    if (this.#state !== 'offered' || !tx) throw new Error(`cannot reject a call in state ${this.#state}`);
    this.#take(tx.respond(createSipResponse(tx.request, status, { toTag: token(this.#options.random, 10) }), now));
    this.#end({ reason: `declined with ${status}`, byPeer: false });
    return this.#flush();
  }

  /** Ends the call from this side: CANCEL while it rings, BYE once answered. */
  hangUp(now: number, reason = 'hung up'): SipCallOutput {
    if (this.#state === 'calling') {
      if (this.#provisional) this.#sendCancel(now);
      else this.#cancelWhenRinging = true;
      this.#end({ reason, byPeer: false, failure: 'no-answer' });
    } else if (this.#state === 'offered') {
      return this.reject(480, now);
    } else if (this.#state !== 'ended') {
      this.#sendBye(now);
      this.#end({ reason, byPeer: false });
    }
    return this.#flush();
  }

  // ---- calls we place ----

  #sendInvite(now: number, authorization: readonly SipHeader[]): void {
    const target = this.#target as SipCallTarget;
    const { session, body } = this.#sdp.offer(this.#options.audioFirst ? 'audio' : 't38');
    this.#offer = session;
    this.#inviteSeq += 1;
    const invite = createSipRequest({
      method: 'INVITE',
      uri: target.uri,
      via: this.#via(),
      from: { uri: target.from, params: new Map([['tag', this.#localTag]]) },
      to: { uri: target.to ?? target.uri, params: new Map() },
      callId: this.callId,
      cseq: this.#inviteSeq,
      headers: [...this.#commonHeaders(), ...authorization, { name: 'Content-Type', value: 'application/sdp' }],
      body,
    });
    const tx = new ClientInviteTransaction(invite, { timers: this.#timers });
    this.#invite = tx;
    this.#provisional = false;
    this.#startClient(
      tx,
      {
        onResponse: (response, at) => this.#onInviteResponse(tx, response, at),
        onTimeout: () => this.#end({ failure: 'no-answer', reason: 'no response to INVITE (Timer B)', byPeer: false }),
      },
      now,
    );
  }

  #onInviteResponse(tx: ClientInviteTransaction, response: SipResponse, now: number): void {
    if (response.status < 200) {
      this.#provisional = true;
      if (this.#cancelWhenRinging) {
        this.#cancelWhenRinging = false;
        this.#sendCancel(now);
      }
      return;
    }
    if (response.status < 300) {
      if (this.#dialog && this.#ack) {
        // A retransmitted 2xx: our ACK was lost (RFC 3261 §13.2.2.4).
        this.#output.send.push(this.#ack);
        return;
      }
      this.#dialog = dialogFromResponse(tx.request, response, this.#inviteSeq);
      this.#ack = createDialogRequest(this.#dialog, 'ACK', this.#via(), { cseq: this.#inviteSeq });
      this.#output.send.push(this.#ack);
      this.#deadlines.delete('ringLimit');
      if (this.#state === 'ended') {
        // We hung up while it rang and the answer crossed our CANCEL: end the call properly.
        this.#sendBye(now);
        return;
      }
      this.#state = 'confirmed';
      const accepted = this.#offer && this.#sdp.read(this.#offer, response.body);
      if (!accepted) {
        this.#sendBye(now);
        this.#end({ failure: 'not-fax', reason: 'the answer accepted no stream', byPeer: false });
        return;
      }
      this.#commit(accepted, now);
      return;
    }
    if ((response.status === 401 || response.status === 407) && this.#retryWithCredentials(tx, response, now)) return;
    if (this.#state === 'ended') return;
    this.#end({
      failure: callFailureOfStatus(response.status),
      reason: `${response.status} ${response.reason}`,
      byPeer: false,
    });
  }

  /** RFC 3261 §22.2: answer a challenge once with credentials (again only if the nonce was merely stale). */
  #retryWithCredentials(tx: ClientInviteTransaction, response: SipResponse, now: number): boolean {
    const credentials = this.#options.credentials;
    const header = response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    let challenges: ReturnType<typeof decodeDigestChallenge>[];
    try {
      challenges = headerValues(response.headers, header).map(decodeDigestChallenge);
    } catch {
      return false;
    }
    const challenge = chooseDigestChallenge(challenges);
    if (!credentials || !challenge || (this.#authTried && !challenge.stale) || this.#state !== 'calling') return false;
    this.#authTried = true;
    const value = encodeDigestCredentials(
      createDigestCredentials(challenge, {
        ...credentials,
        method: 'INVITE',
        uri: tx.request.uri,
        cnonce: token(this.#options.random, 12),
      }),
    );
    this.#sendInvite(now, [{ name: response.status === 401 ? 'Authorization' : 'Proxy-Authorization', value }]);
    return true;
  }

  #sendCancel(now: number): void {
    const invite = this.#invite;
    if (!invite) return;
    const tx = new ClientNonInviteTransaction(createCancel(invite.request), { timers: this.#timers });
    this.#startClient(tx, { onResponse: () => {}, onTimeout: () => {} }, now);
  }

  // ---- both directions, once a dialog exists ----

  /** Puts the call on the accepted stream: T.38 is reported; audio waits for a switch, ours or theirs. */
  #commit(accepted: NonNullable<FaxCallSdp['current']>, now: number): void {
    this.#sdp.current = accepted;
    if (accepted.kind === 't38') {
      this.#deadlines.delete('switch');
      this.#deadlines.delete('t38Wait');
      this.#output.events.push({ type: 'media', remote: accepted.remote, session: accepted.session });
      return;
    }
    if (!this.#deadlines.has('t38Wait')) this.#setTimer('t38Wait', now + (this.#options.t38WaitMs ?? 30_000));
    // The answering side asks at once (it would detect CED/V.21 now); the caller gives the far end time to ask.
    if (this.#state === 'confirmed' && this.#weOwnCallId) {
      this.#setTimer('switch', now + (this.#options.switchDelayMs ?? 3_000));
    }
  }

  #sendReInvite(now: number): void {
    const dialog = this.#dialog;
    if (!dialog || this.#state !== 'confirmed' || this.#reInvite || this.#pending2xx) return;
    const { session, body } = this.#sdp.offer('t38');
    const request = createDialogRequest(dialog, 'INVITE', this.#via(), {
      headers: [...this.#commonHeaders(), { name: 'Content-Type', value: 'application/sdp' }],
      body,
    });
    const tx = new ClientInviteTransaction(request, { timers: this.#timers });
    this.#reInvite = tx;
    const done = () => {
      if (this.#reInvite === tx) this.#reInvite = undefined;
    };
    this.#startClient(
      tx,
      {
        onResponse: (response, at) => {
          if (response.status < 200) return;
          if (response.status < 300) {
            this.#output.send.push(createDialogRequest(dialog, 'ACK', this.#via(), { cseq: cseqOf(request).seq }));
            if (this.#reInvite !== tx) return;
            done();
            const accepted = this.#sdp.read(session, response.body);
            if (accepted?.kind === 't38') this.#commit(accepted, at);
            else this.#fail(at, 'the far end answered the switch to T.38 without T.38');
            return;
          }
          done();
          if (response.status === 491) {
            // RFC 3261 §14.1: the Call-ID's owner waits 2.1–4 s, the other end 0–2 s, in 10 ms steps.
            const [from, span] = this.#weOwnCallId ? [2_100, 1_900] : [0, 2_000];
            this.#setTimer('switch', at + from + Math.floor((this.#options.random() * span) / 10) * 10);
          } else if (this.#sdp.current?.kind !== 't38') {
            this.#fail(at, `the far end refused T.38 (${response.status} ${response.reason})`);
          }
        },
        onTimeout: (at) => {
          done();
          this.#fail(at, 'no response to the re-INVITE for T.38');
        },
      },
      now,
    );
  }

  #fail(now: number, reason: string): void {
    this.#sendBye(now);
    this.#end({ failure: 'not-fax', reason, byPeer: false });
  }

  #sendBye(now: number): void {
    if (!this.#dialog) return;
    const bye = createDialogRequest(this.#dialog, 'BYE', this.#via(), { headers: this.#commonHeaders() });
    this.#startClient(
      new ClientNonInviteTransaction(bye, { timers: this.#timers }),
      { onResponse: () => {}, onTimeout: () => {} },
      now,
    );
  }

  #send2xx(tx: ServerInviteTransaction, body: Uint8Array, now: number, extra: readonly SipHeader[] = []): void {
    const dialog = this.#dialog as SipDialog;
    const response = createSipResponse(tx.request, 200, {
      toTag: dialog.localTag,
      headers: [...this.#commonHeaders(), ...extra, { name: 'Content-Type', value: 'application/sdp' }],
      body,
    });
    this.#take(tx.respond(response, now));
    this.#pending2xx = { response, seq: cseqOf(tx.request).seq, interval: this.#timers.T1 };
    this.#setTimer('retransmit2xx', now + this.#timers.T1);
    this.#setTimer('noAck', now + 64 * this.#timers.T1);
  }

  // ---- messages in ----

  #onResponse(response: SipResponse, now: number): void {
    let key: string;
    try {
      key = transactionKey(response);
    } catch {
      return;
    }
    const entry = this.#clients.get(key);
    if (entry) this.#takeClient(key, entry, entry.tx.receive(response, now), now);
    else if (this.#ack && response.status < 300 && response.status >= 200 && cseqOf(response).method === 'INVITE') {
      // The 2xx outlived its transaction: still ACK it (RFC 3261 §13.2.2.4).
      this.#output.send.push(this.#ack);
    }
  }

  #onRequest(request: SipRequest, now: number): void {
    const key = transactionKey(request);
    const tx = this.#servers.get(key);
    if (tx) {
      const output = tx instanceof ServerInviteTransaction ? tx.receive(request, now) : tx.receive(request, now);
      this.#takeServer(key, output);
      // RFC 6026 §7.1: an ACK for our 2xx that reuses the INVITE's branch reaches us through the transaction.
      if (output.deliver?.kind === 'request' && output.deliver.method === 'ACK') this.#onAck(output.deliver, now);
      return;
    }
    if (request.method === 'ACK') {
      this.#onAck(request, now);
      return;
    }
    if (request.method === 'CANCEL') {
      this.#onCancel(request, now);
      return;
    }
    const dialog = this.#dialog;
    const seq = cseqOf(request).seq;
    if (request.method === 'INVITE') {
      const server = new ServerInviteTransaction(request, { timers: this.#timers, sendTrying: false });
      this.#servers.set(server.key, server);
      this.#take(server.start(now));
      if (!dialog || this.#state === 'ended') {
        this.#respond(server, 481, now);
        return;
      }
      if (dialog.remoteSeq !== undefined && seq <= dialog.remoteSeq) {
        this.#respond(server, 500, now);
        return;
      }
      dialog.remoteSeq = seq;
      this.#onReInvite(server, now);
      return;
    }
    const server = new ServerNonInviteTransaction(request, { timers: this.#timers });
    this.#servers.set(server.key, server);
    this.#take(server.start(now));
    if (request.method === 'OPTIONS') {
      this.#respond(server, 200, now);
      return;
    }
    if (!dialog || this.#state === 'ended') {
      this.#respond(server, 481, now);
      return;
    }
    if (dialog.remoteSeq !== undefined && seq <= dialog.remoteSeq) {
      this.#respond(server, 500, now);
      return;
    }
    dialog.remoteSeq = seq;
    if (request.method === 'BYE') {
      this.#respond(server, 200, now);
      this.#end({ reason: 'the far end hung up (BYE)', byPeer: true });
    } else if (request.method === 'UPDATE') {
      // RFC 4028 refreshes by UPDATE usually carry no SDP; one that does gets our current description back.
      const body = request.body.length > 0 ? this.#sdp.last : undefined;
      this.#respond(server, 200, now, this.#sessionTimerHeaders(request), body);
    } else {
      this.#respond(server, 501, now);
    }
  }

  /** A re-INVITE: a refresh keeps the media untouched; a switch to T.38 is taken; glare gets 491. */
  #onReInvite(server: ServerInviteTransaction, now: number): void {
    const request = server.request;
    if (this.#reInvite?.state === 'Calling' || this.#reInvite?.state === 'Proceeding') {
      this.#respond(server, 491, now);
      return;
    }
    if (this.#pending2xx) {
      // RFC 3261 §14.2: an INVITE while ours awaits its ACK gets 500 with a Retry-After below 10 s.
      const retryAfter = String(1 + Math.floor(this.#options.random() * 9));
      this.#respond(server, 500, now, [{ name: 'Retry-After', value: retryAfter }]);
      return;
    }
    const timer = this.#sessionTimerHeaders(request);
    if (request.body.length === 0 || this.#sdp.isRefreshOf(request.body)) {
      // Session refresh (RFC 4028 §7.4): the same description again, the UDPTL stream left running.
      this.#send2xx(server, this.#sdp.last ?? new Uint8Array(0), now, timer);
      return;
    }
    const answer = this.#sdp.answer(request.body, this.#sdp.current?.kind === 't38');
    if (!answer) {
      this.#respond(server, 488, now);
      return;
    }
    this.#send2xx(server, answer.body, now, timer);
    if (answer.accepted.kind === 't38' || this.#sdp.current?.kind !== 't38') this.#commit(answer.accepted, now);
  }

  #onAck(request: SipRequest, now: number): void {
    const pending = this.#pending2xx;
    if (!pending || cseqOf(request).seq !== pending.seq) return;
    this.#pending2xx = undefined;
    this.#deadlines.delete('retransmit2xx');
    this.#deadlines.delete('noAck');
    if (this.#state !== 'answered') return;
    this.#state = 'confirmed';
    if (this.#sdp.current?.kind === 'audio') this.#setTimer('switch', now);
  }

  #onCancel(request: SipRequest, now: number): void {
    const server = new ServerNonInviteTransaction(request, { timers: this.#timers });
    this.#servers.set(server.key, server);
    this.#take(server.start(now));
    const invite = this.#incoming;
    const branch = (message: SipMessage) => headerValues(message.headers, 'Via')[0];
    if (!invite || branch(invite.request) !== branch(request)) {
      this.#respond(server, 481, now);
      return;
    }
    this.#respond(server, 200, now);
    if (this.#state !== 'offered') return;
    // RFC 3261 §9.2: the cancelled INVITE is answered 487.
    this.#take(invite.respond(createSipResponse(invite.request, 487, { toTag: token(this.#options.random, 10) }), now));
    this.#end({ failure: 'call-aborted', reason: 'the caller cancelled', byPeer: true });
  }

  #respond(
    server: ServerInviteTransaction | ServerNonInviteTransaction,
    status: number,
    now: number,
    headers: readonly SipHeader[] = [],
    body?: Uint8Array,
  ): void {
    const toTag = this.#dialog?.localTag ?? token(this.#options.random, 10);
    const all = [...headers, ...(body ? [{ name: 'Content-Type', value: 'application/sdp' }] : [])];
    const response = createSipResponse(server.request, status, { toTag, headers: all, ...(body && { body }) });
    this.#take(server.respond(response, now));
  }

  /** RFC 4028 §9: echo the interval with the requester as refresher, which obliges `Require: timer`. */
  #sessionTimerHeaders(request: SipRequest): SipHeader[] {
    const value = headerValue(request.headers, 'Session-Expires');
    const interval = value && /^\s*([0-9]{1,10})/.exec(value)?.[1];
    if (!interval) return [];
    return [
      { name: 'Session-Expires', value: `${interval};refresher=uac` },
      { name: 'Require', value: 'timer' },
    ];
  }

  // ---- timers, transactions, output ----

  readonly #onTimer: Record<CallTimer, (at: number) => void> = {
    retransmit2xx: (at) => {
      const pending = this.#pending2xx;
      if (!pending) return;
      this.#output.send.push(pending.response);
      pending.interval = Math.min(2 * pending.interval, this.#timers.T2);
      this.#setTimer('retransmit2xx', at + pending.interval);
    },
    noAck: (at) => {
      // RFC 3261 §13.3.1.4: no ACK within 64*T1 — the dialog ends with a BYE.
      this.#pending2xx = undefined;
      this.#deadlines.delete('retransmit2xx');
      if (this.#state === 'ended') return;
      this.#state = 'confirmed';
      this.#sendBye(at);
      this.#end({ failure: 'call-aborted', reason: 'no ACK for our 200 OK', byPeer: false });
    },
    switch: (at) => this.#sendReInvite(at),
    t38Wait: (at) => this.#fail(at, 'the call never switched to T.38'),
    ringLimit: (at) => this.hangUp(at, 'nobody answered'),
  };

  #setTimer(timer: CallTimer, at: number): void {
    this.#deadlines.set(timer, at);
  }

  #startClient(tx: ClientTransaction, handlers: Omit<ClientEntry, 'tx'>, now: number): void {
    const entry = { tx, ...handlers };
    this.#clients.set(tx.key, entry);
    this.#takeClient(tx.key, entry, tx.start(now), now);
  }

  #takeClient(key: string, entry: ClientEntry, output: TransactionOutput, now: number): void {
    this.#output.send.push(...output.send);
    if (output.deliver?.kind === 'response') entry.onResponse(output.deliver, now);
    if (output.timeout) entry.onTimeout(now);
    if (output.terminated) this.#clients.delete(key);
  }

  #takeServer(key: string, output: TransactionOutput): void {
    this.#output.send.push(...output.send);
    if (output.terminated) this.#servers.delete(key);
  }

  #take(output: TransactionOutput): void {
    this.#output.send.push(...output.send);
  }

  #end(event: Omit<Extract<SipCallEvent, { type: 'ended' }>, 'type'>): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    for (const timer of ['switch', 't38Wait', 'ringLimit'] as const) this.#deadlines.delete(timer);
    this.#output.events.push({ type: 'ended', ...event });
  }

  #flush(): SipCallOutput {
    const output = this.#output;
    this.#output = { send: [], events: [] };
    return output;
  }

  #via(): Via {
    const { host, port } = this.#options.local;
    const params = new Map<string, string | null>([
      ['branch', `${BRANCH_MAGIC_COOKIE}${token(this.#options.random, 16)}`],
      ['rport', null],
    ]);
    return { transport: 'UDP', host, port, params };
  }

  #commonHeaders(): SipHeader[] {
    const { host, port } = this.#options.local;
    return [
      { name: 'Contact', value: `<sip:${this.#options.user}@${host}:${port}>` },
      { name: 'Allow', value: ALLOW },
      { name: 'Supported', value: 'timer' },
      { name: 'User-Agent', value: 'faxd' },
    ];
  }
}

/** `length` characters of [0-9a-z] drawn from `random`. */
export function token(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 36).toString(36);
  return text;
}
