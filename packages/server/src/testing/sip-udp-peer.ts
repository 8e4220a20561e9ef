// Test support: a UDP socket playing a SIP peer by hand (a stranger, a flooder): sends out-of-dialog requests built
// with the protocol package and keeps every SIP message it receives, decoded.

import { createSocket, type Socket } from 'node:dgram';
import {
  BRANCH_MAGIC_COOKIE,
  callIdOf,
  createSipRequest,
  decodeSipMessage,
  encodeSipMessage,
  type SipMessage,
} from '@faxd/protocol';

/** A UDP socket that keeps the SIP messages it receives, decoded. */
export class UdpPeer {
  readonly received: SipMessage[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (datagram) => {
      try {
        this.received.push(decodeSipMessage(new Uint8Array(datagram)));
      } catch {
        // Not SIP (media): kept out of `received`.
      }
    });
  }

  static async bind(host: string, port = 0): Promise<UdpPeer> {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(port, host, resolve));
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** An out-of-dialog request to `number` at a SIP port on 127.0.0.1 (or `host`), Call-ID `callId`. */
  request(method: string, number: string, callId: string, toPort: number, host = '127.0.0.1'): void {
    const { address, port } = this.socket.address();
    const sipAddress = address.includes(':') ? `[${address}]` : address;
    const message = createSipRequest({
      method,
      uri: `sip:${number}@127.0.0.1:${toPort}`,
      via: {
        transport: 'UDP',
        host: sipAddress,
        port,
        params: new Map([['branch', `${BRANCH_MAGIC_COOKIE}${callId}`]]),
      },
      from: { uri: `sip:stranger@${sipAddress}`, params: new Map([['tag', 'peer']]) },
      to: { uri: `sip:${number}@127.0.0.1`, params: new Map() },
      callId,
      cseq: 1,
      headers: [{ name: 'Contact', value: `<sip:stranger@${sipAddress}:${port}>` }],
    });
    this.socket.send(encodeSipMessage(message), toPort, host);
  }

  /** The distinct Call-IDs answered with a final response, and their statuses. */
  finals(prefix: string): Map<string, number> {
    const answered = new Map<string, number>();
    for (const message of this.received) {
      if (message.kind === 'response' && message.status >= 200 && callIdOf(message).startsWith(prefix)) {
        answered.set(callIdOf(message), message.status);
      }
    }
    return answered;
  }

  close(): void {
    this.socket.close();
  }
}
