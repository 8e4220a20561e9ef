// A UDP socket of one call's own (a SIP call's media port, `fax terminal`'s socket): datagrams go to the far end's
// media address, only datagrams from that address and port are taken, and releasing it waits until everything sent
// has left.

import type { Socket } from 'node:dgram';
import { isFromHost } from './address-list.js';
import type { CallMediaPort } from './media-leg.js';
import { bindUdpSocket, type UdpEndpoint } from './udptl-socket.js';

export class MediaSocket implements CallMediaPort {
  /** Where datagrams go, and the port datagrams are taken from; unset until the call knows it. */
  remote: UdpEndpoint | undefined;
  /** Takes each datagram from `remote`. */
  receiver: ((datagram: Uint8Array) => void) | undefined;
  readonly #socket: Socket;
  readonly #onError: (error: Error) => void;
  /** Sends handed to Node whose callback has not run yet (the address lookup comes first, even for an IP). */
  #inFlight = 0;
  #flushed: (() => void) | undefined;
  #closed: Promise<void> | undefined;

  private constructor(socket: Socket, remote: UdpEndpoint | undefined, onError: (error: Error) => void) {
    this.#socket = socket;
    this.#onError = onError;
    this.remote = remote;
    socket.on('message', (datagram, from) => {
      // A stranger's datagram from the right port number is not the peer's (a DCN injected mid-fax). The address as
      // the far end was given is the usual case, 50 times a second on an audio call: no need to spell both out.
      const remote = this.remote;
      if (
        remote &&
        from.port === remote.port &&
        (from.address === remote.host || isFromHost(from.address, remote.host))
      ) {
        // A plain view of the datagram's own memory (Node gives each datagram a buffer of its own): nothing copied.
        this.receiver?.(new Uint8Array(datagram.buffer, datagram.byteOffset, datagram.byteLength));
      }
    });
    socket.on('error', onError);
  }

  /**
   * Binds `endpoint` (port 0: any free port). `onError` gets the socket's errors; by default they are ignored: a send
   * toward a peer that is not there yet is that call's silence, and the fax's timers notice.
   */
  static async bind(
    endpoint: UdpEndpoint,
    remote?: UdpEndpoint,
    onError: (error: Error) => void = () => {},
  ): Promise<MediaSocket> {
    return new MediaSocket(await bindUdpSocket(endpoint), remote, onError);
  }

  get address(): UdpEndpoint {
    const { address, port } = this.#socket.address();
    return { host: address, port };
  }

  send(datagram: Uint8Array): void {
    if (!this.remote || this.#closed) return;
    this.#inFlight += 1;
    // The callback runs once the datagram has left, or with why it could not be sent (then no 'error' event comes).
    this.#socket.send(datagram, this.remote.port, this.remote.host, (error) => {
      this.#inFlight -= 1;
      if (error) this.#onError(error);
      if (this.#inFlight === 0) this.#flushed?.();
    });
  }

  /**
   * Closes the socket once every datagram handed to `send` has gone out: a socket closed earlier drops the ones still
   * waiting for their address lookup (the last DCN of a fax, say).
   */
  release(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const close = () => this.#socket.close(() => resolve());
      if (this.#inFlight === 0) close();
      else this.#flushed = close;
    });
    return this.#closed;
  }
}
