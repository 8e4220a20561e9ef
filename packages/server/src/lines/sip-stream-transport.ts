// SIP over TCP and over TLS (RFC 3261 §18.1.1, §18.2.2, §18.3, §26.2): a listener for peers' connections and
// connections of our own opened on demand, each cut into messages by Content-Length; whatever goes to a peer takes the
// connection open to it. The two kinds differ only in their sockets: TLS serves the server's certificate and checks
// the peer's when it connects out.

import { connect, createServer, type Server, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { decodeVia, encodeSipMessage, headerValues, type SipMessage, SipStreamFramer } from '@faxd/protocol';
import type { TlsCredentials } from '../tls/tls-credentials.js';
import { decodeOrRefuse, type SipReceiver, type SipTransport } from './sip-transport.js';
import type { UdpEndpoint } from './udptl-socket.js';

/** What a TLS transport serves and trusts. */
export interface SipTlsOptions {
  /** The server's certificate and key; a reload reaches the listener (new handshakes only). */
  readonly credentials: TlsCredentials;
  /**
   * Certificate authorities a peer's certificate must chain to when we connect out; without it, the system's and
   * NODE_EXTRA_CA_CERTS's (the way faxd is configured to trust a private CA).
   */
  readonly ca?: ConnectionOptions['ca'];
}

/** Past this many open connections the listener refuses more, so idle ones cannot exhaust file descriptors. */
const MAX_CONNECTIONS = 1024;

/** How long a closing line waits for its last writes (the BYEs of calls it ends) to leave before cutting connections. */
const CLOSE_GRACE_MS = 1_000;

const keyOf = (endpoint: UdpEndpoint) => `${endpoint.host}|${endpoint.port}`;

export class SipStreamTransport implements SipTransport {
  readonly name: 'TCP' | 'TLS';
  readonly #server: Server;
  readonly #receive: SipReceiver;
  readonly #tls: SipTlsOptions | undefined;
  readonly #stopServing: () => void;
  /** Open connections by the peer's address: the one a request came on carries its responses and later requests. */
  readonly #connections = new Map<string, Socket>();
  #closed = false;

  private constructor(
    server: Server,
    receive: SipReceiver,
    admits: (host: string) => boolean,
    tls: SipTlsOptions | undefined,
  ) {
    this.name = tls ? 'TLS' : 'TCP';
    this.#server = server;
    this.#receive = receive;
    this.#tls = tls;
    this.#stopServing = tls ? tls.credentials.serve(server as ReturnType<typeof createTlsServer>) : () => {};
    server.maxConnections = MAX_CONNECTIONS;
    // A source the line does not take requests from gets its connection closed before any TLS handshake or message.
    server.prependListener('connection', (socket: Socket) => {
      if (socket.remoteAddress === undefined || !admits(socket.remoteAddress)) socket.destroy();
    });
    // A TLS peer's messages start once its handshake is done; one that fails it is dropped by the server unheard.
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      const { remoteAddress, remotePort } = socket;
      if (remoteAddress === undefined || remotePort === undefined) {
        socket.destroy();
        return;
      }
      // A dual-stack listener sees IPv4 peers as IPv4-mapped IPv6 addresses; answers go to the plain IPv4 one.
      this.#adopt(socket, { host: remoteAddress.replace(/^::ffff:(?=\d+\.)/, ''), port: remotePort });
    });
  }

  /** Listens at `endpoint`: TCP, or TLS with `tls`; connections from a host `admits` refuses are closed at once. */
  static async listen(
    endpoint: UdpEndpoint,
    receive: SipReceiver,
    admits: (host: string) => boolean,
    tls?: SipTlsOptions,
  ): Promise<SipStreamTransport> {
    const server = tls ? createTlsServer({ ...tls.credentials.current }) : createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(endpoint.port, endpoint.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {});
    return new SipStreamTransport(server, receive, admits, tls);
  }

  get address(): UdpEndpoint {
    const address = this.#server.address();
    if (address === null || typeof address === 'string')
      throw new Error(`the SIP ${this.name} listener is not listening`);
    return { host: address.address, port: address.port };
  }

  /**
   * Writes on the connection open to `to`, opening one first when there is none (its writes wait for it). A response
   * whose request's connection has closed goes to the port the request's Via names at the address it came from
   * (RFC 3261 §18.2.2): the closed connection's port was the peer's ephemeral one.
   */
  send(message: SipMessage, to: UdpEndpoint): void {
    if (this.#closed) return;
    let socket = this.#connections.get(keyOf(to));
    if (!socket) {
      const target = message.kind === 'response' ? sentByOf(message, to) : to;
      socket = this.#connections.get(keyOf(target));
      if (!socket) {
        // A TLS socket holds what is written before its handshake and sends it after; a peer whose certificate does
        // not check out never gets it (RFC 3261 §26.3.1: a SIPS request only goes over an authenticated hop).
        socket = this.#tls
          ? connectTls({
              host: target.host,
              port: target.port,
              ...(this.#tls.ca !== undefined && { ca: this.#tls.ca }),
            })
          : connect({ host: target.host, port: target.port });
        this.#adopt(socket, target);
      }
    }
    socket.write(encodeSipMessage(message));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopServing();
    for (const socket of this.#connections.values()) {
      socket.end(() => socket.destroy());
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    }
    this.#connections.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #adopt(socket: Socket, remote: UdpEndpoint): void {
    const key = keyOf(remote);
    this.#connections.set(key, socket);
    socket.setNoDelay(true);
    const framer = new SipStreamFramer();
    socket.on('data', (chunk: Buffer) => this.#data(socket, framer, remote, new Uint8Array(chunk)));
    // A reset or refused connection is simply gone; what was sent on it is lost and the transaction's timers notice.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.#connections.get(key) === socket) this.#connections.delete(key);
    });
  }

  #data(socket: Socket, framer: SipStreamFramer, remote: UdpEndpoint, chunk: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = framer.receive(chunk);
    } catch {
      // RFC 3261 §18.3: past a framing fault (a SipDecodeError) nothing says where the next message starts, so the
      // connection ends.
      socket.destroy();
      return;
    }
    for (const bytes of frames) {
      if (socket.destroyed) return;
      const message = decodeOrRefuse(bytes, (response) => socket.write(encodeSipMessage(response)));
      if (message) this.#receive(message, { transport: this.name, remote });
    }
  }
}

/** Where a response goes without its connection: the request's source address, at its top Via's port (default 5060). */
function sentByOf(response: SipMessage, from: UdpEndpoint): UdpEndpoint {
  const top = headerValues(response.headers, 'Via')[0];
  try {
    return { host: from.host, port: top ? (decodeVia(top).port ?? 5060) : from.port };
  } catch {
    return from;
  }
}
