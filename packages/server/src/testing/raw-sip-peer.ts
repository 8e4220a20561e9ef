// Test support: a SIP peer written by hand on a plain UDP socket, as a hostile or careless one would be: requests
// built as text (an INVITE with a T.38 offer is about 530 bytes), everything received kept for the test to read.

import { createSocket, type Socket } from 'node:dgram';

/** A UDP socket on 127.0.0.1 that keeps what it receives. */
export class Peer {
  readonly received: string[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (datagram) => this.received.push(datagram.toString('latin1')));
  }

  static async open(): Promise<Peer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new Peer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string, port: number): void {
    this.socket.send(Buffer.from(text, 'latin1'), port, '127.0.0.1');
  }

  /** Messages whose first line starts with `start`. */
  starting(start: string): string[] {
    return this.received.filter((message) => message.startsWith(start));
  }

  close(): void {
    this.socket.close();
  }
}

export async function until<T>(what: string, probe: () => T | undefined, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SipRequestText {
  readonly method: string;
  readonly number: string;
  readonly from: Peer;
  readonly callId: string;
  readonly branch: string;
  readonly cseq: number;
  readonly toTag?: string;
  /** The UDPTL endpoint the offer names (a T.38 offer when given). */
  readonly media?: number;
}

/** A request as a hostile peer writes it: an INVITE with a T.38 offer is about 530 bytes. */
export function request(r: SipRequestText): string {
  const body = r.media
    ? 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
      `m=image ${r.media} udptl t38\r\na=T38FaxVersion:0\r\na=T38FaxRateManagement:transferredTCF\r\n` +
      'a=T38FaxMaxDatagram:400\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n'
    : '';
  return (
    `${r.method} sip:${r.number}@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${r.from.port};branch=z9hG4bK${r.branch}\r\n` +
    `From: <sip:5551234@127.0.0.1>;tag=attacker\r\nTo: <sip:${r.number}@127.0.0.1>${r.toTag ? `;tag=${r.toTag}` : ''}\r\n` +
    `Call-ID: ${r.callId}\r\nCSeq: ${r.cseq} ${r.method}\r\nContact: <sip:5551234@127.0.0.1:${r.from.port}>\r\n` +
    `Max-Forwards: 70\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`
  );
}

export const toTagOf = (response: string) => /\r\nTo:[^\r]*;tag=([^;\r]+)/i.exec(response)?.[1] ?? '';
export const mediaPortOf = (response: string) => Number(/m=image (\d+) /.exec(response)?.[1]);
