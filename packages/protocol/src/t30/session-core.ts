// The state, data and output queue of one T.30 session (T.30 clause 5), shared by the per-phase handlers.
//
// Handlers in phase-b.ts, phase-c.ts, phase-d.ts and the ECM files change the session only through this object:
// `enter` is the one way to change state, `send*` queue transmissions, `finish` ends the call.

import type { CopyQualityPolicy } from './copy-quality.js';
import type { DocumentSink, DocumentSource, PageFormat, PageQuality } from './document-port.js';
import type { Dcs, Dis } from './frames/dis-dcs.js';
import type { PartialPageSignal } from './frames/ecm-frames.js';
import { encodeT30Frame, type T30Frame, type T30FrameType } from './frames/t30-frame.js';
import { type LineModem, type T30Event, type T30Output, V21 } from './front-end.js';
import type { T30Outcome } from './outcome.js';
import { phaseOf, T30_TRANSITIONS, type T30State } from './session-state.js';
import type { TcfCheck } from './tcf-check.js';
import type { T30Limits, T30Timers, TimerName } from './timers.js';

export interface ResolvedOptions {
  readonly role: 'calling' | 'answering';
  readonly direction: 'send' | 'receive';
  /** The local DIS, with bit 9 or 10 set for the direction. */
  readonly localDis: Dis;
  readonly ident: string;
  readonly subaddress?: string;
  readonly senderId?: string;
  readonly password?: string;
  readonly source?: DocumentSource;
  readonly sink?: DocumentSink;
  readonly copyQuality: CopyQualityPolicy;
  readonly timers: T30Timers;
  readonly limits: T30Limits;
}

/** The post-message command ending a page (T.30 Table 2). */
export type PostPageCommand = 'MPS' | 'EOM' | 'EOP';

/** What a handler gets: decoded frames, line events, timer expiries. */
export type StateInput =
  | { readonly type: 'frame'; readonly frame: T30Frame; readonly bytes: Uint8Array }
  | { readonly type: 'bad-frame' }
  | { readonly type: 'training-received' }
  | { readonly type: 'image-carrier' }
  | { readonly type: 'image-data'; readonly bytes: Uint8Array }
  | { readonly type: 'image-end' }
  | { readonly type: 'send-done' }
  | { readonly type: 'start' }
  | { readonly type: 'page-stored'; readonly ok: boolean }
  | { readonly type: 'page-recorded' }
  | { readonly type: 'timeout'; readonly timer: TimerName };

/** Sender's progress through the blocks of an ECM page (T.30 Annex A). */
export interface EcmSendState {
  /** Frame payloads of each block of the page in hand. */
  readonly blocks: readonly (readonly Uint8Array[])[];
  block: number;
  pprs: number;
  ctcs: number;
  /** Frames the last PPR asked for, kept while CTC or EOR is under way, and the rate CTC proposes. */
  resend: readonly number[];
  ctcRate?: { readonly modem: Dcs['modem']; readonly bitRate: number };
}

/** Receiver's frames of the current block and the completed blocks of the current page. */
export interface EcmReceiveState {
  readonly frames: Map<number, Uint8Array>;
  blocks: Uint8Array[];
  /** FCD frames taken in since the last answer: none means a PPS is a repeat of the one answered. */
  framesSinceAnswer: number;
  pageStarted: boolean;
  /**
   * Frames in the block being repaired, from its first PPS: a PPS after a retransmission may count only the frames
   * resent (SpanDSP does), and the block never shrinks to that.
   */
  blockFrames?: number;
  /** A PPS answered RNR, evaluated again when RR comes and the sink is ready. */
  heldPps?: { readonly pps: PartialPageSignal; readonly bytes: Uint8Array };
}

/** A post-message command answered once a durable sink has stored the page (T.30 leaves the timing to the receiver). */
export interface HeldAnswer {
  readonly command: PostPageCommand;
  readonly bytes: Uint8Array;
  readonly verdict: 'MCF' | 'RTP';
  readonly quality: PageQuality;
  /** The frame that answers: the verdict, or ERR to an EOR that ended the page (the page is kept all the same). */
  readonly reply: 'MCF' | 'RTP' | 'ERR';
}

export type StateHandler = (core: SessionCore, input: StateInput) => void;

export function formatOf(dcs: Dcs): PageFormat {
  const { compression, resolution, width, length, minScanLineTime, bitRate, ecm } = dcs;
  return { compression, resolution, width, length, minScanLineTime, bitRate, ecm };
}

export function imageModem(dcs: Dcs): LineModem {
  return { modem: dcs.modem, bitRate: dcs.bitRate };
}

export class SessionCore {
  readonly options: ResolvedOptions;
  state: T30State = 'IDLE';
  now = 0;
  /** Set while queued transmissions have not gone out; a half-duplex station ignores the line meanwhile. */
  transmitting = false;

  remoteDis?: Dis;
  dcs?: Dcs;
  /** Sender: 0-based index of the page in hand. Receiver: pages stored so far. */
  pageIndex = 0;
  pageData?: Uint8Array;
  postPageCommand?: PostPageCommand;
  /** Sender: RTNs for the page in hand. */
  pageRejections = 0;
  retrains = 0;
  /** The last command, replayed on T4 expiry or CRP, and how many times it has gone out. */
  lastCommand?: { readonly name: T30FrameType; readonly outputs: readonly T30Output[] };
  commandTries = 0;
  /** Receiver: the last command answered (its final frame's octets) and the answer, repeated if it comes again. */
  lastAnswered?: { readonly command: Uint8Array; readonly response: readonly T30Output[] };
  /** Receiver: why a DCN in state F ends the call the way it does. */
  awaitingDcnAfter?: 'EOP' | 'RTN' | 'ERR';
  /** Receiver: TCF being checked, and the non-ECM page data taken in so far. */
  tcf?: TcfCheck;
  received: Uint8Array[] = [];
  /** Receiver, non-ECM: an image carrier (trained or not) was heard since the last CFR or post-page answer. */
  imageCarrierHeard = false;
  /** Receiver in F_STORE_PAGE: the page being stored, its verdict, and the command whose answer waits for it. */
  storing?: HeldAnswer;
  /** Sender in II_RECORD: how the receiver confirmed the page whose record the next step waits for. */
  recording?: 'MCF' | 'RTP';
  ecmSend?: EcmSendState;
  ecmReceive: EcmReceiveState = { frames: new Map(), blocks: [], framesSinceAnswer: 0, pageStarted: false };

  /** Receiver: T2 expiries in a row with nothing heard. */
  silentT2Expiries = 0;

  readonly #outputs: T30Output[] = [];
  readonly #deadlines = new Map<TimerName, number>();
  #pendingResponseTimer = false;

  constructor(options: ResolvedOptions) {
    this.options = options;
  }

  get xBit(): boolean {
    // T.30 Table 2: the X bit is 1 in frames from the station that received DIS, which is the calling station.
    return this.options.role === 'calling';
  }

  enter(next: T30State): void {
    const allowed: readonly T30State[] = T30_TRANSITIONS[this.state];
    if (!allowed.includes(next)) throw new Error(`invalid T.30 state transition from ${this.state} to ${next}`);
    const from = this.state;
    this.state = next;
    this.clearTimer('T2');
    this.clearTimer('T4');
    this.#pendingResponseTimer = false;
    this.emit({ type: 'state', from, to: next });
    if (phaseOf(from) !== phaseOf(next)) this.emit({ type: 'phase', phase: phaseOf(next) });
  }

  emit(event: T30Event): void {
    this.#outputs.push({ type: 'event', event });
  }

  output(output: T30Output): void {
    if (output.type === 'send-hdlc' || output.type === 'send-tcf' || output.type === 'send-image') {
      this.transmitting = true;
    }
    this.#outputs.push(output);
  }

  drain(): T30Output[] {
    return this.#outputs.splice(0);
  }

  /** Encodes and queues a burst; every frame but the last is non-final. */
  sendFrames(frames: readonly T30Frame[], modem: LineModem = V21): Uint8Array[] {
    const bytes = frames.map((frame, i) => encodeT30Frame(frame, { final: i === frames.length - 1, xBit: this.xBit }));
    this.output({ type: 'send-hdlc', modem, frames: bytes });
    return bytes;
  }

  /** Sends a command (plus any outputs that belong to it, such as TCF) and waits T4 for the response. */
  sendCommand(frames: readonly T30Frame[], extra: readonly T30Output[] = []): void {
    const bytes = this.sendFrames(frames);
    for (const output of extra) this.output(output);
    const name = frames[frames.length - 1].type;
    this.lastCommand = { name, outputs: [{ type: 'send-hdlc', modem: V21, frames: bytes }, ...extra] };
    this.commandTries = 1;
    this.startResponseTimer();
  }

  /** T.30: a command unanswered after T4 is repeated, three tries in all, then the call is given up. */
  repeatCommand(): void {
    const command = this.lastCommand;
    if (!command) throw new Error(`no command to repeat in state ${this.state}`);
    if (this.commandTries >= this.options.limits.commandTries) {
      this.finish({ code: 'no-response', command: command.name });
      return;
    }
    this.commandTries++;
    for (const output of command.outputs) this.output(output);
    this.startResponseTimer();
  }

  /** Answers a receiver's command and remembers the pair, so a repeated command gets the same answer. */
  answer(command: Uint8Array, frames: readonly T30Frame[]): void {
    const bytes = this.sendFrames(frames);
    this.lastAnswered = { command, response: [{ type: 'send-hdlc', modem: V21, frames: bytes }] };
  }

  /** Whether `bytes` repeat the last command answered; if so, the answer goes out again. */
  answerRepeatedCommand(bytes: Uint8Array): boolean {
    const last = this.lastAnswered;
    if (!last || !sameOctets(last.command, bytes)) return false;
    for (const output of last.response) this.output(output);
    return true;
  }

  repeatLastAnswer(): void {
    for (const output of this.lastAnswered?.response ?? []) this.output(output);
  }

  startResponseTimer(): void {
    if (this.transmitting) this.#pendingResponseTimer = true;
    else this.setTimer('T4', this.options.timers.T4);
  }

  /** The front end's queue ran empty: the response timer counts from now. */
  transmissionDone(): void {
    this.transmitting = false;
    if (this.#pendingResponseTimer) {
      this.#pendingResponseTimer = false;
      this.setTimer('T4', this.options.timers.T4);
    }
  }

  setTimer(name: TimerName, ms: number = this.options.timers[name]): void {
    this.#deadlines.set(name, this.now + ms);
  }

  clearTimer(name: TimerName): void {
    this.#deadlines.delete(name);
  }

  /** Restarts a running timer from now. */
  restartTimer(name: TimerName): void {
    if (this.#deadlines.has(name)) this.setTimer(name);
  }

  /**
   * Receiver's T2 ran out. The sender tries a command three times, T4 apart, so one lost command must not end the
   * call: T2 is re-armed until it has run out as many times in a row as the sender has tries. Returns whether to
   * give up.
   */
  receiverT2Expired(): boolean {
    this.silentT2Expiries++;
    if (this.silentT2Expiries >= this.options.limits.commandTries) return true;
    this.setTimer('T2');
    return false;
  }

  hasTimer(name: TimerName): boolean {
    return this.#deadlines.has(name);
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const at of this.#deadlines.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Removes and returns the earliest timer due at `now`. */
  takeExpiredTimer(): TimerName | undefined {
    let due: TimerName | undefined;
    for (const [name, at] of this.#deadlines) {
      if (at <= this.now && (due === undefined || at < this.#deadlines.get(due)!)) due = name;
    }
    if (due !== undefined) this.#deadlines.delete(due);
    return due;
  }

  /** Ends the call: DCN unless the remote already disconnected (T.30 phase E), then the outcome. */
  finish(outcome: T30Outcome, sendDcn = true): void {
    if (this.state === 'CALL_FINISHED') return;
    if (sendDcn) this.sendFrames([{ type: 'DCN' }]);
    this.#deadlines.clear();
    this.enter('CALL_FINISHED');
    this.emit({ type: 'outcome', outcome });
  }
}

function sameOctets(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((octet, i) => octet === b[i]);
}
