// SIP lines over TCP on real sockets (RFC 3261 §18): a fax from one faxd SIP line to another, calls and REGISTER on a
// connection to the proxy opened on demand and reused, the advertised host in Via, Contact and SDP, and framing faults
// that close only their own connection.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import {
  createSipResponse,
  decodeSdp,
  decodeSipMessage,
  encodeSipMessage,
  headerValue,
  type SipMessage,
  type SipRequest,
  SipStreamFramer,
  samePixels,
  topViaOf,
} from '@faxd/protocol';
import { loadDocumentPages } from '../documents/load-pages.js';
import { openTestSipLine } from '../testing/sip-test-line.js';
import type { LineCallResult } from './fax-line.js';
import { SipLine, type SipLineOptions } from './sip-line.js';

const quiet = { onEvent: () => {} };
const LIMIT = { timeout: 60_000 };

/** One TCP connection seen from the far end: what arrives on it, framed and decoded, in order. */
class TcpPeer {
  readonly closed: Promise<void>;
  readonly #arrived: SipMessage[] = [];
  #wake: () => void = () => {};

  constructor(readonly socket: Socket) {
    const framer = new SipStreamFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of framer.receive(new Uint8Array(chunk))) this.#arrived.push(decodeSipMessage(bytes));
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static async connect(port: number): Promise<TcpPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    return new TcpPeer(socket);
  }

  send(message: SipMessage | string): void {
    this.socket.write(typeof message === 'string' ? Buffer.from(message, 'latin1') : encodeSipMessage(message));
  }

  /** The next message that arrives. */
  async next(): Promise<SipMessage> {
    while (this.#arrived.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    return this.#arrived.shift() as SipMessage;
  }

  /** The next request, answering the ACKs to our 486s on the way by taking them. */
  async nextRequest(method: string): Promise<SipRequest> {
    for (;;) {
      const message = await this.next();
      if (message.kind === 'request' && message.method === method) return message;
    }
  }
}

/** A TCP listener standing in for the proxy or registrar: every connection it accepts, as a TcpPeer. */
async function tcpProxy(): Promise<{
  server: Server;
  port: number;
  connections: TcpPeer[];
  accepted: () => Promise<TcpPeer>;
}> {
  const connections: TcpPeer[] = [];
  let wake: () => void = () => {};
  const server = createServer((socket) => {
    connections.push(new TcpPeer(socket));
    wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = async () => {
    while (connections.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return connections[0] as TcpPeer;
  };
  return { server, port, connections, accepted };
}

function options(request: { branch: string; callId: string; extra?: string; contentLength?: string }): string {
  return (
    `OPTIONS sip:200@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK${request.branch}\r\n` +
    `From: <sip:1@127.0.0.1>;tag=1\r\nTo: <sip:200@127.0.0.1>\r\nCall-ID: ${request.callId}\r\n` +
    `CSeq: 1 OPTIONS\r\n${request.extra ?? ''}Content-Length: ${request.contentLength ?? '0'}\r\n\r\n`
  );
}

/** The c= address of an offer, at session or media level. */
const connectionOf = (body: Uint8Array) => {
  const sdp = decodeSdp(body);
  return (sdp.connection ?? sdp.media[0]?.connection)?.address;
};

const statusOf = (message: SipMessage) => (message.kind === 'response' ? message.status : message.method);

describe('a SIP line over TCP', () => {
  const lines: SipLine[] = [];
  const servers: Server[] = [];
  after(async () => {
    await Promise.all(lines.map((line) => line.close()));
    for (const server of servers) server.close();
  });

  async function openLine(numbers: string[], extra: Partial<SipLineOptions> = {}): Promise<SipLine> {
    const line = await openTestSipLine(numbers, { transport: 'tcp', ...extra });
    lines.push(line);
    return line;
  }

  it('sends a fax to another faxd SIP line over TCP: the pages arrive pixel for pixel', LIMIT, async () => {
    const callee = await openLine(['200']);
    const caller = await openLine(['100'], { proxy: `sip:127.0.0.1:${callee.address.port}` });
    const received = new Promise<LineCallResult>((resolve) => {
      callee.incomingCallHandler = (call) => {
        assert.deepEqual(
          { callerId: call.callerId, calledNumber: call.calledNumber },
          { callerId: '100', calledNumber: '200' },
        );
        return { ...quiet, onEnd: resolve };
      };
    });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Over SIP on TCP.\nPage one.\n')), {
      paper: 'a4',
    });
    const sent = await caller.placeCall({ pages, number: '200', ident: 'TSI TCP 100' }, quiet).result;
    const got = await received;
    assert.equal(sent.failure, undefined);
    assert.equal(sent.outcome.code, 'ok');
    assert.equal(got.outcome.code, 'ok');
    assert.equal(got.received.length, pages.length);
    for (const [i, page] of got.received.entries()) {
      assert.ok(samePixels(page as never, pages[i] as never), `page ${i + 1}`);
    }
    assert.equal(got.report.remoteIdent, 'TSI TCP 100');
  });

  it('places its calls on one connection to the proxy, naming TCP and the advertised host', LIMIT, async () => {
    const proxy = await tcpProxy();
    servers.push(proxy.server);
    const line = await openLine(['100'], { proxy: `sip:127.0.0.1:${proxy.port}`, advertise: '192.0.2.44' });
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Busy twice.\n')), { paper: 'a4' });
    for (const attempt of [1, 2]) {
      const placed = line.placeCall({ pages, number: '5550100', ident: 'FAXD' }, quiet);
      const peer = await proxy.accepted();
      const invite = await peer.nextRequest('INVITE');
      const via = topViaOf(invite);
      assert.deepEqual([via.transport, via.host, via.port], ['TCP', '192.0.2.44', line.address.port]);
      assert.equal(headerValue(invite.headers, 'Contact'), `<sip:100@192.0.2.44:${line.address.port};transport=tcp>`);
      assert.equal(connectionOf(invite.body), '192.0.2.44');
      assert.equal(decodeSdp(invite.body).origin.address, '192.0.2.44');
      peer.send(createSipResponse(invite, 486, { toTag: `busy${attempt}` }));
      const result = await placed.result;
      assert.equal(result.failure, 'busy');
      assert.equal(statusOf(await peer.next()), 'ACK');
    }
    assert.equal(proxy.connections.length, 1, 'the second call reused the first connection');
  });

  it('registers over TCP: REGISTER names TCP in Via and Contact and is answered on its connection', LIMIT, async () => {
    const registrar = await tcpProxy();
    servers.push(registrar.server);
    const line = await openLine(['100'], {
      registrar: `sip:127.0.0.1:${registrar.port}`,
      username: 'fax',
      password: 'secret',
    });
    const peer = await registrar.accepted();
    const register = await peer.nextRequest('REGISTER');
    assert.equal(topViaOf(register).transport, 'TCP');
    assert.equal(headerValue(register.headers, 'Contact'), `<sip:fax@127.0.0.1:${line.address.port};transport=tcp>`);
  });

  it('closes only the connection a framing fault arrives on, and keeps answering OPTIONS over TCP', LIMIT, async () => {
    const line = await openLine(['200']);
    const port = line.address.port;
    const corpus = [
      'garbage\r\n\r\n',
      options({ branch: 'huge', callId: 'huge', contentLength: '99999999' }),
      options({ branch: 'twice', callId: 'twice', extra: 'Content-Length: 5\r\n' }),
      options({ branch: 'negative', callId: 'negative', contentLength: '-1' }),
      `OPTIONS sip:200@127.0.0.1 SIP/2.0\r\nX-Filler: ${'x'.repeat(20_000)}`,
    ];
    const bystander = await TcpPeer.connect(port);
    for (const text of corpus) {
      const peer = await TcpPeer.connect(port);
      peer.send(text);
      await peer.closed;
      bystander.send(options({ branch: `b${corpus.indexOf(text)}`, callId: `still-${corpus.indexOf(text)}` }));
      const answer = await bystander.next();
      assert.equal(statusOf(answer), 200, `answering after ${JSON.stringify(text.slice(0, 30))}`);
      assert.equal(headerValue(answer.headers, 'Call-ID'), `still-${corpus.indexOf(text)}`);
    }
    // A message that frames but does not decode gets 400 on its connection, which stays open.
    const peer = await TcpPeer.connect(port);
    peer.send(options({ branch: 'c', callId: 'bad-max-forwards', extra: 'Max-Forwards: lots\r\n' }));
    assert.equal(statusOf(await peer.next()), 400);
    peer.send(options({ branch: 'd', callId: 'after-400' }));
    assert.equal(statusOf(await peer.next()), 200);
    peer.socket.destroy();
    bystander.socket.destroy();
  });

  it("repeats its 200 to the caller's Via port once the caller's connection has closed (§18.2.2)", LIMIT, async () => {
    const line = await openLine(['200']);
    line.incomingCallHandler = () => ({ onEvent: () => {}, onEnd: () => {} });
    const sentBy = await tcpProxy();
    servers.push(sentBy.server);
    const sdp = 'v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=image 9 udptl t38\r\n';
    const head = (method: string, seq: number, to: string, branch: string) =>
      `${method} sip:200@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:${sentBy.port};branch=z9hG4bK${branch}\r\n` +
      `From: <sip:1@127.0.0.1>;tag=caller\r\nTo: ${to}\r\nCall-ID: closed-early\r\nCSeq: ${seq} ${method}\r\n` +
      `Max-Forwards: 70\r\nContact: <sip:1@127.0.0.1:${sentBy.port};transport=tcp>\r\n`;
    const caller = await TcpPeer.connect(line.address.port);
    caller.send(
      `${head('INVITE', 1, '<sip:200@127.0.0.1>', 'invite')}Content-Type: application/sdp\r\n` +
        `Content-Length: ${sdp.length}\r\n\r\n${sdp}`,
    );
    const first = await caller.next();
    const ok = first.kind === 'response' && first.status === 100 ? await caller.next() : first;
    assert.equal(statusOf(ok), 200);
    caller.socket.destroy();
    // No ACK came on the closed connection, so the 200 is repeated: on a new connection to the Via's port.
    const reopened = await sentBy.accepted();
    const again = await reopened.next();
    assert.equal(statusOf(again), 200);
    assert.equal(headerValue(again.headers, 'To'), headerValue(ok.headers, 'To'));
    const to = headerValue(ok.headers, 'To') ?? '';
    reopened.send(`${head('ACK', 1, to, 'ack')}Content-Length: 0\r\n\r\n`);
    reopened.send(`${head('BYE', 2, to, 'bye')}Content-Length: 0\r\n\r\n`);
    const bye = await reopened.next();
    assert.equal(statusOf(bye), 200);
    assert.equal(headerValue(bye.headers, 'CSeq'), '2 BYE');
    reopened.socket.destroy();
  });

  it('still answers over UDP on the same port', LIMIT, async () => {
    const line = await openLine(['200']);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const reply = new Promise<SipMessage>((resolve) =>
      socket.once('message', (message) => resolve(decodeSipMessage(new Uint8Array(message)))),
    );
    const text = options({ branch: 'udp', callId: 'over-udp' }).replace('SIP/2.0/TCP', 'SIP/2.0/UDP');
    socket.send(Buffer.from(text, 'latin1'), line.address.port, '127.0.0.1');
    assert.equal(statusOf(await reply), 200);
    socket.close();
  });
});

describe('a SIP line advertising sip.advertise over UDP', () => {
  it('puts the advertised host in Via, Contact and SDP c=, with no transport parameter', LIMIT, async () => {
    const proxy = createSocket('udp4');
    await new Promise<void>((resolve) => proxy.bind(0, '127.0.0.1', resolve));
    const line = await SipLine.open({
      listen: { host: '127.0.0.1', port: 0 },
      advertise: 'fax.example.test',
      numbers: ['100'],
      proxy: `sip:127.0.0.1:${proxy.address().port}`,
      mediaPorts: { first: 0, last: 0 },
      ecm: true,
      compression: 'mmr',
      csid: 'C',
    });
    const arrived = new Promise<SipRequest>((resolve) =>
      proxy.once('message', (message) => resolve(decodeSipMessage(new Uint8Array(message)) as SipRequest)),
    );
    const pages = await loadDocumentPages(new Uint8Array(Buffer.from('Busy.\n')), { paper: 'a4' });
    const placed = line.placeCall({ pages, number: '5550100', ident: 'FAXD' }, quiet);
    const invite = await arrived;
    const via = topViaOf(invite);
    assert.deepEqual([via.transport, via.host], ['UDP', 'fax.example.test']);
    assert.equal(headerValue(invite.headers, 'Contact'), `<sip:100@fax.example.test:${line.address.port}>`);
    assert.equal(connectionOf(invite.body), 'fax.example.test');
    const busy = createSipResponse(invite, 486, { toTag: 'b' });
    proxy.send(encodeSipMessage(busy), line.address.port, '127.0.0.1');
    assert.equal((await placed.result).failure, 'busy');
    await line.close();
    proxy.close();
  });
});
