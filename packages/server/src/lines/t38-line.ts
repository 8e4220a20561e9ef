// A T.38 fax line (DESIGN.md §3 `t38` and `loopback` lines): one UDP socket toward a fixed UDPTL peer that places
// calls for outbound jobs and answers when the peer starts a call (T.38 §9.1, one call at a time).

import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { type BilevelPage, DecodeError, decodeIfpPacket, decodeUdptlPacket } from '@faxd/protocol';
import { isFromHost } from './address-list.js';
import type {
  CallListener,
  FaxLine,
  IncomingCallHandler,
  LineCallResult,
  OutgoingCall,
  PlacedCall,
} from './fax-line.js';
import { type CallCompression, listenerOptions } from './fax-station.js';
import type { DatagramLink } from './media-leg.js';
import { UdptlLeg } from './udptl-leg.js';
import { bindUdpSocket, type UdpEndpoint } from './udptl-socket.js';

/** A new call's first datagrams carry low UDPTL sequence numbers; a late datagram of a finished call does not. */
const NEW_CALL_MAX_SEQ = 8;
/** After this long without a call, a caller signal starts one even past the first sequence numbers (some were lost). */
const QUIET_MS = 2000;
/** A call that has seen sequence numbers past this and then gets a new call's low ones: the peer started over. */
const RESTART_SEQ = 32;

export interface T38LineOptions {
  readonly bind: UdpEndpoint;
  readonly peer: UdpEndpoint | undefined;
  readonly ecm: boolean;
  readonly compression: CallCompression;
  /** This line's CSI, sent when it answers. */
  readonly csid: string;
  readonly redundancy: number;
}

export class T38Line implements FaxLine {
  readonly #options: T38LineOptions;
  readonly #socket: Socket;
  /** Every call's datagrams go to the peer over the line's socket, which outlives the call. */
  readonly #link: DatagramLink = {
    send: (datagram) => this.#send(datagram),
    release: async () => {},
  };
  #peer: UdpEndpoint | undefined;
  #leg: UdptlLeg | undefined;
  #role: 'calling' | 'answering' = 'calling';
  /** The highest UDPTL sequence number the peer has sent in the present call. */
  #highestSeq = 0;
  #idleSince = 0;
  #closed = false;
  #incoming: IncomingCallHandler = () => undefined;

  private constructor(options: T38LineOptions, socket: Socket) {
    this.#options = options;
    this.#socket = socket;
    this.#peer = options.peer;
    socket.on('message', (message, remote) => this.#datagram(new Uint8Array(message), remote.port, remote.address));
    // A send toward a peer that is not there yet (ICMP port unreachable) is that call's silence, not a line fault.
    socket.on('error', () => {});
  }

  static async open(options: T38LineOptions): Promise<T38Line> {
    return new T38Line(options, await bindUdpSocket(options.bind));
  }

  /** Where this line listens (for pairing loopback lines, which bind to port 0). */
  get address(): UdpEndpoint {
    const { address, port } = this.#socket.address();
    return { host: address, port };
  }

  set peer(peer: UdpEndpoint) {
    this.#peer = peer;
  }

  set incomingCallHandler(handler: IncomingCallHandler) {
    this.#incoming = handler;
  }

  get busy(): boolean {
    return this.#leg !== undefined;
  }

  /** Calls the peer (the number is not needed: the peer is fixed) and sends the pages. */
  placeCall(call: OutgoingCall, listener: CallListener): PlacedCall {
    if (this.#leg) throw new Error('the line is busy');
    const { leg, result } = this.#call('calling', call.ident, listener, call.pages);
    leg.start();
    return { result, cancel: () => leg.cancel() };
  }

  /** Ends the call in progress (DCN to the peer) and closes the socket. */
  async close(): Promise<void> {
    const leg = this.#leg;
    leg?.cancel();
    leg?.abandon();
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #call(role: 'calling' | 'answering', ident: string, listener: CallListener, pages?: readonly BilevelPage[]) {
    const leg = new UdptlLeg({
      station: {
        role,
        ident,
        pages,
        ecm: this.#options.ecm,
        compression: this.#options.compression,
        redundancy: this.#options.redundancy,
        ...listenerOptions(listener),
      },
      link: this.#link,
      cutOutcome: { code: 'local-cancel' },
    });
    this.#leg = leg;
    this.#role = role;
    this.#highestSeq = 0;
    const result = leg.done.then((result): LineCallResult => {
      if (this.#leg === leg) {
        this.#leg = undefined;
        this.#idleSince = performance.now();
      }
      return result;
    });
    return { leg, result };
  }

  #send(datagram: Uint8Array): void {
    const peer = this.#peer;
    if (peer && !this.#closed) this.#socket.send(datagram, peer.port, peer.host);
  }

  #datagram(datagram: Uint8Array, port: number, host: string): void {
    const peer = this.#peer;
    if (!peer || port !== peer.port || !isFromHost(host, peer.host)) return;
    const seq = sequenceNumberOf(datagram);
    if (this.#leg && !this.#peerStartedOver(seq)) {
      this.#highestSeq = Math.max(this.#highestSeq, seq ?? 0);
      this.#leg.receive(datagram);
      return;
    }
    const newCall = seq !== undefined && seq < NEW_CALL_MAX_SEQ;
    if (!newCall && performance.now() - this.#idleSince < QUIET_MS) return;
    if (!isCallerSignal(datagram)) return;
    let answered: UdptlLeg | undefined;
    const listener = this.#incoming({ callerId: '', calledNumber: '', hangUp: () => answered?.cancel() });
    if (!listener) return;
    const { leg, result } = this.#call('answering', this.#options.csid, listener);
    answered = leg;
    leg.start();
    leg.receive(datagram);
    void result.then((outcome) => listener.onEnd(outcome));
  }

  /**
   * Whether the peer dropped the call we are answering and is calling again (a restarted faxd or gateway does): the
   * old call is abandoned, keeping what it received, and the new one answered.
   */
  #peerStartedOver(seq: number | undefined): boolean {
    const leg = this.#leg;
    if (!leg || this.#role !== 'answering' || seq === undefined) return false;
    if (seq >= NEW_CALL_MAX_SEQ || this.#highestSeq < RESTART_SEQ) return false;
    this.#leg = undefined;
    leg.abandon();
    return true;
  }
}

/** The UDPTL seq-number (the first two octets, T.38 Annex D), or undefined for a datagram too short to be UDPTL. */
function sequenceNumberOf(datagram: Uint8Array): number | undefined {
  return datagram.length >= 3 ? ((datagram[0] as number) << 8) | (datagram[1] as number) : undefined;
}

/**
 * Whether the datagram is the calling tone, CNG: what a calling terminal sends before it has heard anything. Not
 * no-signal (both ends open with it: SpanDSP's answerer does), nor CED or V.21 frames, which come from an answering
 * terminal; two ends both answering would sit in phase B until T1 expired.
 */
function isCallerSignal(datagram: Uint8Array): boolean {
  try {
    const packet = decodeIfpPacket(decodeUdptlPacket(datagram).primary);
    return packet.type === 't30-indicator' && packet.indicator === 'cng';
  } catch (error) {
    if (error instanceof DecodeError) return false;
    throw error;
  }
}
