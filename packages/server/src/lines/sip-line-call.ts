// One call on a SIP line: its user agent driven in real time (RFC 3261 §12–§15), and its media handed to a leg once
// the call carries T.38. The fax's end hangs the call up; the call's end (BYE, CANCEL, a failure) cuts a fax still
// running, keeping what arrived so far.

import type { SipCallOutput, SipFaxCall, SipMessage, T38Session } from '@faxd/protocol';
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
  readonly legFor: (session: T38Session, link: DatagramLink) => MediaLeg;
  /** The user agent has finished: no transaction is left to absorb retransmissions. */
  readonly onFinished: () => void;
}

export class SipLineCall {
  readonly sip: SipFaxCall;
  /** Settles once the fax (or the call without one) is over and the media port released. */
  readonly result: Promise<LineCallResult>;
  readonly #options: SipLineCallOptions;
  readonly #driver: CoreDriver<SipCallOutput>;
  #leg: MediaLeg | undefined;
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
      else this.#end(event.failure, event.byPeer);
    }
    if (this.sip.finished) this.#options.onFinished();
  }

  /**
   * The call carries T.38 to `host`:`port` (again, or elsewhere after a re-INVITE): the leg starts once. A call we
   * answered sends nothing to a new address until it has heard from it; the fax's own retransmissions (DIS again
   * after T.30's T4) cover what is dropped meanwhile, and a caller announces itself at once (its CNG indicator).
   */
  #media(host: string, port: number, session: T38Session): void {
    const { media } = this.#options;
    if (this.#options.answering && (media.remote?.host !== host || media.remote.port !== port)) this.#heard = false;
    media.remote = { host, port };
    if (this.#leg) return;
    const link: DatagramLink = {
      send: (datagram) => {
        if (this.#heard) media.send(datagram);
      },
      release: () => media.release(),
    };
    const leg = this.#options.legFor(session, link);
    this.#leg = leg;
    media.receiver = (datagram) => {
      this.#heard = true;
      leg.receive(datagram);
    };
    leg.start();
    void leg.done.then((result) => {
      // The fax is over and its last datagrams have gone: hang up unless the far end has, then report.
      this.hangUp('fax finished');
      this.#settle({ ...result, ...(this.#failure && { failure: this.#failure }) });
    });
  }

  #end(cause: CallFailure | undefined, byPeer: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    const leg = this.#leg;
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
