// Sandbox lines (issue 16 item 3, DESIGN.md §3 `sandbox`): two lines joined in memory whose calls run the real T.30
// engine and T.38 stations on a virtual clock, as fast as the CPU allows. The number dialed chooses what the far end
// does, like a cloud fax provider's test numbers, so integrations can meet busy lines and dropped calls on demand.

import type { BilevelPage } from '@faxd/protocol';
import { CallReport } from './call-report.js';
import type {
  CallFailure,
  CallListener,
  FaxLine,
  IncomingCallHandler,
  LineCallResult,
  OutgoingCall,
  PlacedCall,
} from './fax-line.js';
import { type CallCompression, type FaxStationOptions, listenerOptions } from './fax-station.js';
import type { DatagramLink } from './media-leg.js';
import { UdptlLeg } from './udptl-leg.js';
import { VirtualClock } from './virtual-clock.js';

/** What the far end of a sandbox call does, chosen by the end of the number dialed. */
export type SandboxBehaviour = 'busy' | 'no-answer' | 'disconnect-after-page-1' | 'not-fax' | 'deliver';

/** The README's table of sandbox numbers: the last four digits dialed; any other number is delivered. */
export const SANDBOX_NUMBERS: Readonly<Record<string, Exclude<SandboxBehaviour, 'deliver'>>> = {
  '0002': 'busy',
  '0003': 'no-answer',
  '0004': 'disconnect-after-page-1',
  '0005': 'not-fax',
};

/** The behaviour `number` chooses; separators (`+1 555-0002`) do not count. */
export function sandboxBehaviour(number: string): SandboxBehaviour {
  const digits = number.replace(/[^0-9]/g, '');
  return SANDBOX_NUMBERS[digits.slice(-4)] ?? 'deliver';
}

/** What the call signalling would have said for the numbers that never reach a fax machine. */
const REFUSALS: Readonly<Partial<Record<SandboxBehaviour, CallFailure>>> = {
  busy: 'busy',
  'no-answer': 'no-answer',
  'not-fax': 'not-fax',
};

/**
 * One-way delay of every datagram between the two ends, in virtual milliseconds: what a T.38 gateway pair would add,
 * so the T.30 timers see the round trips they were made for.
 */
const LATENCY_MS = 20;

/**
 * Line time each data IFP carries between the two ends, and the datagram that holds it: a second's worth (1,800
 * octets at 14,400 bit/s, a whole ECM frame) rather than a real gateway's 30 ms. The T.30 exchange and its line time
 * are the same; each IFP coded, scheduled and decoded was most of what a sandbox call cost, a page's data in hundreds
 * of them.
 */
const CHUNK_MS = 1000;
const MAX_DATAGRAM_OCTETS = 4096;

export interface SandboxLineOptions {
  readonly ecm: boolean;
  readonly compression: CallCompression;
  /** This line's CSI, sent when it answers. */
  readonly csid: string;
}

/** How one end of a call runs: its station's options, less what the pair decides (role, redundancy, datagrams). */
type EndOptions = Omit<FaxStationOptions, 'role' | 'redundancy' | 'chunkMs' | 'maxDatagramSize'>;

/**
 * One call between a pair: the caller's and the answerer's T.38 legs on the call's own virtual clock, each datagram
 * reaching the other end LATENCY_MS later unless the circuit has dropped meanwhile. Lossless, so no redundancy. The
 * clock stands still while the answerer writes a page, and while the caller writes down a page confirmed: neither
 * waits longer than a real one would, and no T.30 timer runs out for a write.
 */
class PairCall {
  readonly clock = new VirtualClock();
  readonly caller: UdptlLeg;
  readonly answerer: UdptlLeg;
  /** Settles once both ends have finished. */
  readonly done: Promise<unknown>;
  #up = true;

  constructor(caller: EndOptions, answerer: EndOptions, behaviour: SandboxBehaviour) {
    const { clock } = this;
    const onEvent: EndOptions['onEvent'] = (event, report) => {
      caller.onEvent?.(event, report);
      // The far end hangs up as soon as page 1 is confirmed: on a fresh wake, so the session finishes its step first.
      const firstConfirmed = event.type === 'page-done' && event.page === 1 && event.result !== 'RTN';
      if (behaviour === 'disconnect-after-page-1' && firstConfirmed) clock.wakeAt(clock.now(), () => this.drop());
    };
    const store = answerer.storePage;
    const storePage = store && ((page: BilevelPage, number: number) => clock.hold(store(page, number)));
    const record = caller.recordConfirmed;
    const recordConfirmed = record && ((report: CallReport) => clock.hold(record(report)));
    const link = { redundancy: 0, chunkMs: CHUNK_MS, maxDatagramSize: MAX_DATAGRAM_OCTETS };
    this.caller = this.#leg({ ...caller, ...link, onEvent, recordConfirmed, role: 'calling' }, () => this.answerer);
    this.answerer = this.#leg({ ...answerer, ...link, storePage, role: 'answering' }, () => this.caller);
    this.done = Promise.all([this.caller.done, this.answerer.done]);
  }

  start(): void {
    this.caller.start();
    this.answerer.start();
  }

  /** The circuit drops: neither end says another word, and each keeps what it had. */
  drop(): void {
    this.#up = false;
    this.caller.abandon();
    this.answerer.abandon();
  }

  #leg(station: FaxStationOptions, far: () => UdptlLeg): UdptlLeg {
    const { clock } = this;
    const link: DatagramLink = {
      send: (datagram) => {
        clock.wakeAt(clock.now() + LATENCY_MS, () => {
          if (this.#up) far().receive(datagram);
        });
      },
      release: async () => {},
    };
    return new UdptlLeg({ station, link, cutOutcome: { code: 'remote-disconnected' }, clock });
  }
}

export class SandboxLine implements FaxLine {
  readonly #options: SandboxLineOptions;
  #peer: SandboxLine = this;
  #call: PairCall | undefined;
  #closed = false;
  #incoming: IncomingCallHandler = () => undefined;

  private constructor(options: SandboxLineOptions) {
    this.#options = options;
  }

  /** Two lines, each the other's far end. */
  static pair(a: SandboxLineOptions, b: SandboxLineOptions): [SandboxLine, SandboxLine] {
    const [lineA, lineB] = [new SandboxLine(a), new SandboxLine(b)];
    lineA.#peer = lineB;
    lineB.#peer = lineA;
    return [lineA, lineB];
  }

  set incomingCallHandler(handler: IncomingCallHandler) {
    this.#incoming = handler;
  }

  get busy(): boolean {
    return this.#call !== undefined;
  }

  placeCall(call: OutgoingCall, listener: CallListener): PlacedCall {
    if (this.#call) throw new Error('the line is busy');
    const behaviour = sandboxBehaviour(call.number);
    const peer = this.#peer;
    const refusal = REFUSALS[behaviour] ?? (peer.#call || peer.#closed || this.#closed ? 'busy' : undefined);
    if (refusal) return refused(refusal);
    let pair: PairCall | undefined;
    const offered = { callerId: call.ident, calledNumber: call.number, hangUp: () => pair?.answerer.cancel() };
    const handler = peer.#incoming(offered);
    // A line that does not take calls (receive off, incoming queue blocked) lets it ring out.
    if (!handler) return refused('no-answer');
    const mine = this.#options;
    const theirs = peer.#options;
    const started = new PairCall(
      {
        ecm: mine.ecm,
        compression: mine.compression,
        ident: call.ident,
        pages: call.pages,
        ...listenerOptions(listener),
      },
      {
        ecm: theirs.ecm,
        compression: theirs.compression,
        ident: theirs.csid,
        ...listenerOptions(handler),
      },
      behaviour,
    );
    pair = started;
    this.#call = started;
    peer.#call = started;
    const ended = started.done.then(() => {
      if (this.#call === started) this.#call = undefined;
      if (peer.#call === started) peer.#call = undefined;
    });
    void started.answerer.done.then((result) => handler.onEnd(result));
    started.start();
    // The caller's result waits for the whole call, so the pair is free again when the service next looks.
    return { result: ended.then(() => started.caller.done), cancel: () => started.caller.cancel() };
  }

  /** Drops the call in progress without a word: the pair is going away. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#call?.drop();
  }
}

/** A call that never reached a fax machine: the result the call signalling would have given, on a later turn. */
function refused(failure: CallFailure): PlacedCall {
  const result = new Promise<LineCallResult>((resolve) =>
    setImmediate(() =>
      resolve({ report: new CallReport(), outcome: { code: 'remote-disconnected' }, received: [], failure }),
    ),
  );
  return { result, cancel: () => {} };
}
