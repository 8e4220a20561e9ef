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
  PageStore,
  PlacedCall,
} from './fax-line.js';
import type { CallCompression } from './fax-station.js';
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

export interface SandboxLineOptions {
  readonly ecm: boolean;
  readonly compression: CallCompression;
  /** This line's CSI, sent when it answers. */
  readonly csid: string;
}

/** The legs of the call between a pair, while it runs. */
interface PairCall {
  readonly legs: UdptlLeg[];
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
    let answered: UdptlLeg | undefined;
    const handler = peer.#incoming({
      callerId: call.ident,
      calledNumber: call.number,
      hangUp: () => answered?.cancel(),
    });
    // A line that does not take calls (receive off, incoming queue blocked) lets it ring out.
    if (!handler) return refused('no-answer');
    const clock = new VirtualClock();
    const pair: PairCall = { legs: [] };
    let up = true;
    const hangUpBoth = () => {
      up = false;
      for (const leg of pair.legs) leg.abandon();
    };
    const legs: { caller?: UdptlLeg; answerer?: UdptlLeg } = {};
    // Each datagram reaches the other end LATENCY_MS later, unless the circuit dropped meanwhile.
    const linkTo = (end: 'caller' | 'answerer'): DatagramLink => ({
      send: (datagram) => {
        clock.wakeAt(clock.now() + LATENCY_MS, () => {
          if (up) legs[end]?.receive(datagram);
        });
      },
      release: async () => {},
    });
    const cutAfterFirstPage = behaviour === 'disconnect-after-page-1';
    const station = { ecm: this.#options.ecm, compression: this.#options.compression, redundancy: 0 };
    const caller = new UdptlLeg({
      station: {
        ...station,
        role: 'calling',
        ident: call.ident,
        pages: call.pages,
        onEvent: (event, report) => {
          listener.onEvent(event, report);
          // The far end hangs up as soon as page 1 is confirmed: a fresh wake, so the session finishes its step first.
          if (cutAfterFirstPage && event.type === 'page-done' && event.page === 1 && event.result !== 'RTN') {
            clock.wakeAt(clock.now(), hangUpBoth);
          }
        },
      },
      link: linkTo('answerer'),
      cutOutcome: { code: 'remote-disconnected' },
      clock,
    });
    const answerer = new UdptlLeg({
      station: {
        ...peer.#options,
        redundancy: 0,
        role: 'answering',
        ident: peer.#options.csid,
        onEvent: (event, report) => handler.onEvent(event, report),
        storePage: heldStore(clock, handler.storePage),
      },
      link: linkTo('caller'),
      cutOutcome: { code: 'remote-disconnected' },
      clock,
    });
    answered = answerer;
    legs.caller = caller;
    legs.answerer = answerer;
    pair.legs.push(caller, answerer);
    this.#call = pair;
    peer.#call = pair;
    const ended = Promise.all([caller.done, answerer.done]).then(() => {
      if (this.#call === pair) this.#call = undefined;
      if (peer.#call === pair) peer.#call = undefined;
    });
    void answerer.done.then((result) => handler.onEnd(result));
    answerer.start();
    caller.start();
    // The caller's result waits for the whole call, so the pair is free again when the service next looks.
    return { result: ended.then(() => caller.done), cancel: () => caller.cancel() };
  }

  /** Drops the call in progress without a word: the pair is going away. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const leg of this.#call?.legs ?? []) leg.abandon();
  }
}

/** The page store, with the virtual clock standing still while a page is written (the sender waits for MCF). */
function heldStore(clock: VirtualClock, store: PageStore | undefined): PageStore | undefined {
  return store && ((page: BilevelPage, number: number) => clock.hold(store(page, number)));
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
