// Test support: a SIP peer written by hand on a plain UDP socket, as a hostile or careless one would be: requests
// built as text (an INVITE with a T.38 offer is about 530 bytes), everything received kept for the test to read.

import { createSocket, type Socket } from 'node:dgram';

/** A UDP socket (on 127.0.0.1 unless told otherwise: 127.0.0.2 or ::1 play strangers) that keeps what it receives. */
export class Peer {
  readonly received: string[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (datagram) => this.received.push(datagram.toString('latin1')));
  }

  static async open(host = '127.0.0.1', port = 0): Promise<Peer> {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(port, host, resolve));
    return new Peer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: string | Uint8Array, port: number, host = '127.0.0.1'): void {
    this.socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, host);
  }

  /** Messages whose first line starts with `start`. */
  starting(start: string): string[] {
    return this.received.filter((message) => message.startsWith(start));
  }

  /** The final statuses received, by Call-ID, for the Call-IDs starting with `prefix`. */
  finals(prefix: string): Map<string, number> {
    const answered = new Map<string, number>();
    for (const message of this.received) {
      const status = Number(/^SIP\/2\.0 (\d{3}) /.exec(message)?.[1]);
      const callId = /\r\nCall-ID: *([^\r]*)/i.exec(message)?.[1] ?? '';
      if (status >= 200 && callId.startsWith(prefix)) answered.set(callId, status);
    }
    return answered;
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

/** Sends `peer`'s out-of-dialog request to `number` at a SIP port on 127.0.0.1 (or `host`), Call-ID `callId`. */
export function ask(peer: Peer, method: string, number: string, callId: string, port: number, host?: string): void {
  peer.send(request({ method, number, from: peer, callId, branch: callId, cseq: 1 }), port, host);
}

export const toTagOf = (response: string) => /\r\nTo:[^\r]*;tag=([^;\r]+)/i.exec(response)?.[1] ?? '';
export const mediaPortOf = (response: string) => Number(/m=image (\d+) /.exec(response)?.[1]);
