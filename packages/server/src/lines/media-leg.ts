// What a line needs of a call's media, whatever carries the fax (T.38 over UDPTL now, G.711 over RTP later): one leg
// per call that runs a fax station over a datagram link and reports the call's result once its last datagram has gone.

import type { LineCallResult } from './fax-line.js';
import type { UdpEndpoint } from './udptl-socket.js';

/** Where a leg's datagrams go. */
export interface DatagramLink {
  send(datagram: Uint8Array): void;
  /**
   * Settles once every datagram handed to `send` has left. A link made for one call closes here; a line's long-lived
   * socket just stays open.
   */
  release(): Promise<void>;
}

/** A call's own media port (MediaSocket): the far end is known once the signalling names it. */
export interface CallMediaPort extends DatagramLink {
  /** Where datagrams go, and the only source datagrams are taken from. */
  remote: UdpEndpoint | undefined;
  /** Takes each datagram from `remote`. */
  receiver: ((datagram: Uint8Array) => void) | undefined;
}

export interface MediaLeg {
  /** Starts the fax station: a caller's CNG, an answerer's wait for the far end. */
  start(): void;
  /** A datagram from the far end (the owner of the socket has checked where it came from). */
  receive(datagram: Uint8Array): void;
  /** Local cancel: the station says goodbye (DCN) and ends. */
  cancel(): void;
  /** Drops the call without a word to the far end (it is gone, or already calling again). */
  abandon(): void;
  /** True once the fax has ended and its last signal has been sent. */
  readonly finished: boolean;
  /**
   * Whether a T.30 frame has come from the far end: the fax is under way on this leg's media, and a switch of media
   * could no longer be followed.
   */
  readonly heardFax: boolean;
  /** Whether the fax reached a T.30 outcome (a hang-up after it ends a finished fax, before it cuts one). */
  readonly hasOutcome: boolean;
  /** Settles once the fax is over and the link released: the report, outcome and pages received. */
  readonly done: Promise<LineCallResult>;
}
