// SIP over UDP (RFC 3261 §18.1.1, §18.2.1): one datagram is one message, and answers go back to the datagram's source.

import type { Socket } from 'node:dgram';
import { encodeSipMessage, type SipMessage } from '@faxd/protocol';
import { decodeOrRefuse, type SipReceiver, type SipTransport } from './sip-transport.js';
import { bindUdpSocket, type UdpEndpoint } from './udptl-socket.js';

export class SipUdpTransport implements SipTransport {
  readonly name = 'UDP';
  readonly #socket: Socket;
  #closed = false;

  private constructor(socket: Socket, receive: SipReceiver) {
    this.#socket = socket;
    socket.on('message', (datagram, source) => {
      const remote = { host: source.address, port: source.port };
      const message = decodeOrRefuse(new Uint8Array(datagram), (response) => this.send(response, remote));
      if (message) receive(message, { transport: 'UDP', remote });
    });
    // A datagram to an unreachable or unresolvable peer is lost like any other; the transaction retransmits.
    socket.on('error', () => {});
  }

  static async open(listen: UdpEndpoint, receive: SipReceiver): Promise<SipUdpTransport> {
    return new SipUdpTransport(await bindUdpSocket(listen), receive);
  }

  get address(): UdpEndpoint {
    const { address, port } = this.#socket.address();
    return { host: address, port };
  }

  send(message: SipMessage, to: UdpEndpoint): void {
    if (!this.#closed) this.#socket.send(encodeSipMessage(message), to.port, to.host);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}
