// One call on a SIP line: its user agent driven in real time (RFC 3261 §12–§15), and its media handed to a leg once
// the call carries T.38, or G.711 audio faxed in-band (`sip.audioFax`). An audio leg gives way to T.38 if the call
// switches before the far end's first fax frame; after it, the call refuses a switch (488). The fax's end hangs the call up; the call's end (BYE, CANCEL, a
// failure) cuts a fax still running, keeping what arrived so far.

import type { AudioSelection, SipCallOutput, SipFaxCall, SipMessage, T38Session } from '@faxd/protocol';
import { CallReport } from './call-report.js';
import type { Clock } from './clock.js';
import { CoreDriver } from './core-driver.js';
import type { CallFailure, LineCallResult } from './fax-line.js';
import type { CallMediaPort, DatagramLink, MediaLeg } from './media-leg.js';
import type { SipFlow } from './sip-transport.js';

export interface SipLineCallOptions {
  readonly sip: SipFaxCall;
  /** Where the call's messages go: the proxy, or the flow the INVITE came by. */
  readonly peer: SipFlow;
  /** The call's own media port, already bound (its number is in our SDP). */
  readonly media: CallMediaPort;
  readonly clock: Clock;
  readonly send: (messages: readonly SipMessage[], to: SipFlow) => void;
  /**
   * A call we answered: our media stays silent until the far end's first datagram reaches the media port, so an
   * INVITE naming someone else's address (a forged source, a confirmed dialog by a blind ACK) draws nothing toward it.
   */
  readonly answering: boolean;
  /** The leg for the media the call negotiated, sending over `link`. */
  readonly legFor: (carriage: CallCarriage, link: DatagramLink) => MediaLeg;
  /** The user agent has finished: no transaction is left to absorb retransmissions. */
  readonly onFinished: () => void;
}

/** What the call's media carries the fax as: T.38 within the negotiated session, or G.711 audio in one codec. */
export type CallCarriage =
  | { readonly kind: 't38'; readonly session: T38Session }
  | { readonly kind: 'audio'; readonly selection: AudioSelection };

/** One leg the call ran, and what it carries; only the call's current leg sends, releases the port and reports. */
interface RunningLeg {
  readonly leg: MediaLeg;
  readonly kind: CallCarriage['kind'];
}

export class SipLineCall {
  readonly sip: SipFaxCall;
  /** Settles once the fax (or the call without one) is over and the media port released. */
  readonly result: Promise<LineCallResult>;
  readonly #options: SipLineCallOptions;
  readonly #driver: CoreDriver<SipCallOutput>;
  #running: RunningLeg | undefined;
  /** Whether the far end has sent us media at the address the call sends to (see `answering`). */
  #heard: boolean;
  #failure: CallFailure | undefined;
  #ended = false;
  #settle: (result: LineCallResult) => void = () => {};

  constructor(options: SipLineCallOptions) {
    this.#options = options;
    this.sip = options.sip;
    this.#heard = !options.answering;
    this.#driver = new CoreDriver(options.sip, (output) => this.#take(output), { clock: options.clock });
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Sends what creating the call produced (INVITE, or 100 Trying and the answer) and runs its timers. */
  start(output: SipCallOutput): void {
    this.#driver.run(() => output);
  }

  /** A message the line matched to this call by its Call-ID. */
  receive(message: SipMessage): void {
    this.#driver.run((now) => this.sip.receive(message, now));
  }

  /** CANCEL while it rings, BYE once answered; nothing once the call has ended. */
  hangUp(reason: string): void {
    if (this.sip.state !== 'ended') this.#driver.run((now) => this.sip.hangUp(now, reason));
  }

  /** The line is closing: nothing more goes out (its transports are going), and the call ends as aborted. */
  drop(): void {
    this.#driver.stop();
    this.#end('call-aborted', false);
  }

  #take(output: SipCallOutput): void {
    this.#options.send(output.send, this.#options.peer);
    for (const event of output.events) {
      if (event.type === 'media') this.#media(event.remote.address, event.remote.port, event.session);
      else if (event.type === 'audio') this.#media(event.remote.address, event.remote.port, event.selection);
      else this.#end(event.failure, event.byPeer);
    }
    if (this.sip.finished) this.#options.onFinished();
  }

  /**
   * The call carries T.38 or audio to `host`:`port` (again, or elsewhere after a re-INVITE): a leg starts once, except
   * that T.38 replaces an audio leg that has not yet heard a fax frame (T.38 §7.3 gateways switch on CED or the first
   * V.21 preamble, while our audio station already answers). A switch after that cannot be followed mid-fax; the audio
   * leg then ends within T.30's timers. A call we answered sends nothing to a new address until it has heard from it;
   * the fax's own retransmissions (DIS again after T.30's T4) cover what is dropped meanwhile, and a caller announces
   * itself at once (its CNG).
   */
  #media(host: string, port: number, offered: T38Session | AudioSelection): void {
    const { media } = this.#options;
    if (this.#options.answering && (media.remote?.host !== host || media.remote.port !== port)) this.#heard = false;
    media.remote = { host, port };
    const carriage: CallCarriage =
      'codec' in offered ? { kind: 'audio', selection: offered } : { kind: 't38', session: offered };
    const previous = this.#running;
    if (previous && !(previous.kind === 'audio' && carriage.kind === 't38' && !previous.leg.heardFax)) return;
    let running: RunningLeg | undefined;
    const link: DatagramLink = {
      send: (datagram) => {
        if (this.#heard && this.#running === running) media.send(datagram);
      },
      release: () => (this.#running === running ? media.release() : Promise.resolve()),
    };
    const leg = this.#options.legFor(carriage, link);
    running = { leg, kind: carriage.kind };
    this.#running = running;
    previous?.leg.abandon();
    media.receiver = (datagram) => {
      this.#heard = true;
      leg.receive(datagram);
      // The in-band fax has begun: from here a re-INVITE changing the media is refused (488) and the fax carries on.
      if (carriage.kind === 'audio' && leg.heardFax && this.#running === running) this.sip.holdMedia();
    };
    leg.start();
    void leg.done.then((result) => {
      if (this.#running !== running) return;
      // The fax is over and its last datagrams have gone: hang up unless the far end has, then report.
      this.hangUp('fax finished');
      this.#settle({ ...result, ...(this.#failure && { failure: this.#failure }) });
    });
  }

  #end(cause: CallFailure | undefined, byPeer: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    const leg = this.#running?.leg;
    if (leg && !leg.finished) {
      // A hang-up after the T.30 outcome (the far end's BYE right after DCN) ends a finished fax; before it, the fax
      // was cut mid-call: what arrived so far is kept and the call counts as aborted.
      this.#failure = leg.hasOutcome ? undefined : byPeer ? 'call-aborted' : cause;
      leg.abandon();
    } else if (!leg) {
      const failure = cause ?? (byPeer ? 'call-aborted' : 'not-fax');
      const report = new CallReport();
      void this.#options.media
        .release()
        .then(() => this.#settle({ report, outcome: { code: 'remote-disconnected' }, received: [], failure }));
    }
  }
}
