// A SIP fax line (DESIGN.md §3 `sip` lines): SIP over UDP, UDP and TCP on one port (RFC 3261 §18), or TLS (SIPS,
// §26), answering INVITEs for its numbers and placing calls through its proxy, each call carrying T.38 on its own
// media port, or with `audioFax` the call's G.711 audio when it stays on audio.

import { randomInt } from 'node:crypto';
import {
  type BilevelPage,
  callIdOf,
  createSipResponse,
  DEFAULT_T38_CAPABILITIES,
  decodeSipUri,
  type SipCallOutput,
  SipFaxCall,
  type SipFaxCallOptions,
  type SipMessage,
  type SipRequest,
  type SipTransportName,
} from '@faxd/protocol';
import { advertisedHost } from './advertised-host.js';
import { CallReport } from './call-report.js';
import { type Clock, realClock } from './clock.js';
import type {
  CallListener,
  FaxLine,
  IncomingCallHandler,
  LineCallResult,
  OutgoingCall,
  PlacedCall,
} from './fax-line.js';
import { type CallCompression, type FaxStationOptions, listenerOptions } from './fax-station.js';
import type { DatagramLink, MediaLeg } from './media-leg.js';
import { MediaSocket } from './media-socket.js';
import { callerOf, decodedUser } from './sip-invite-parties.js';
import { type CallCarriage, SipLineCall } from './sip-line-call.js';
import { openTransports, type SipListenOptions, type Transports } from './sip-line-transports.js';
import { SipRegistration } from './sip-registration.js';
import { type SipGateOptions, SipRequestGate } from './sip-request-gate.js';
import type { SipStreamTransport } from './sip-stream-transport.js';
import { endpointOfUri, type SipFlow, type SipTransport } from './sip-transport.js';
import type { SipUdpTransport } from './sip-udp-transport.js';
import { UdptlLeg } from './udptl-leg.js';
import type { UdpEndpoint } from './udptl-socket.js';

export interface SipLineOptions extends SipListenOptions {
  /** The host peers reach us at, in Via, Contact and SDP (see advertisedHost for the default). */
  readonly advertise?: string;
  readonly numbers: readonly string[];
  /** Where calls go: `sip:host[:port]`; without it, the number must be a full SIP URI's user part at no host. */
  readonly proxy?: string;
  readonly registrar?: string;
  readonly username?: string;
  readonly password?: string;
  /** Each call binds the first free port of this range; `{ first: 0, last: 0 }` takes any free port (tests). */
  readonly mediaPorts: { readonly first: number; readonly last: number };
  readonly ecm: boolean;
  readonly compression: CallCompression;
  readonly csid: string;
  /** Rings before an offered call is answered (180 Ringing meanwhile); 0 or 1 answers at once. */
  readonly rings?: number;
  /**
   * `sip.audioFax` (default true): a call that stays on G.711 audio is faxed in-band by faxd's own modems; false
   * ends it as not-fax once it has not moved to T.38.
   */
  readonly audioFax?: boolean;
  /** Options passed to every call's user agent (tests shorten its timers). */
  readonly call?: Partial<SipFaxCallOptions>;
  /** Who may send requests, how fast, and with which credentials (sip-request-gate.ts). */
  readonly gate?: SipGateOptions;
}

/** One ring of the usual cadence (2 s on, 4 s off): the first answers at once, each further one waits this long. */
const RING_CYCLE_MS = 6_000;
/**
 * Calls a line keeps at most: the one it carries and those that ended but still absorb retransmissions (up to 64*T1
 * each). A new INVITE beyond this is answered 486 like one to a busy line, so a burst of calls set up and torn down
 * cannot pile up state (with each call's own cap, MAX_SERVER_TRANSACTIONS, 512 server transactions per line).
 */
const MAX_CALLS = 16;
/** UDPTL secondaries when the peer accepted redundancy (the CLI's default too). */
const REDUNDANCY = 3;

export class SipLine implements FaxLine {
  readonly #options: SipLineOptions;
  readonly #udp: SipUdpTransport | undefined;
  readonly #stream: SipStreamTransport | undefined;
  /** What our own calls and REGISTERs go over; a peer's call stays on the transport it came by. */
  readonly #outbound: SipTransportName;
  /** The advertised host as SIP writes it (IPv6 in brackets) and as SDP does. */
  readonly #sipHost: string;
  readonly #mediaHost: string;
  readonly #calls = new Map<string, SipLineCall>();
  /** The clock of every call's user agent, and of the REGISTER transactions. */
  readonly #clock: Clock = realClock();
  readonly #registration: SipRegistration | undefined;
  readonly #gate: SipRequestGate;
  #incoming: IncomingCallHandler = () => undefined;
  #faxCalls = 0;
  #closed = false;

  private constructor(options: SipLineOptions, host: string, gate: SipRequestGate, { udp, stream }: Transports) {
    this.#options = options;
    this.#gate = gate;
    this.#udp = udp;
    this.#stream = stream;
    this.#outbound = stream?.name ?? 'UDP';
    this.#mediaHost = host;
    this.#sipHost = host.includes(':') ? `[${host}]` : host;
    if (options.registrar && options.username) {
      this.#registration = new SipRegistration({
        registrar: options.registrar,
        username: options.username,
        password: options.password ?? '',
        local: this.#local(this.#outbound),
        send: (message, to) => this.#sendTo(message, { transport: this.#outbound, remote: to }),
        clock: this.#clock,
      });
    }
  }

  static async open(options: SipLineOptions): Promise<SipLine> {
    const host = advertisedHost(options.listen.host, options.advertise);
    let line: SipLine | undefined;
    // Anything arriving in the moment before the line exists is dropped like a lost datagram.
    const gate = new SipRequestGate(options.gate ?? {});
    const transports = await openTransports(
      options,
      (message, from) => {
        if (line) line.#receive(message, from);
      },
      (source) => gate.admitsSource(source),
    );
    line = new SipLine(options, host, gate, transports);
    line.#registration?.start();
    return line;
  }

  /** Where the SIP socket listens (tests bind to port 0); with TCP, its listener has the same port. */
  get address(): UdpEndpoint {
    return (this.#udp ?? (this.#stream as SipStreamTransport)).address;
  }

  #local(transport: SipTransportName): { host: string; port: number; transport: SipTransportName } {
    return { host: this.#sipHost, port: this.address.port, transport };
  }

  set incomingCallHandler(handler: IncomingCallHandler) {
    this.#incoming = handler;
  }

  get busy(): boolean {
    return this.#faxCalls > 0;
  }

  placeCall(call: OutgoingCall, listener: CallListener): PlacedCall {
    if (this.busy) throw new Error('the line is busy');
    const proxy = decodeSipUri(this.#options.proxy ?? `sip:${this.#sipHost}`);
    const peer = { transport: this.#outbound, remote: endpointOfUri(proxy, this.#outbound) };
    const host = `${proxy.host}${proxy.port ? `:${proxy.port}` : ''}`;
    // RFC 3261 §26.2: over TLS the call asks for TLS on every hop to the callee.
    const scheme = this.#outbound === 'TLS' ? 'sips' : 'sip';
    const from = `${scheme}:${this.#options.numbers[0] ?? 'faxd'}@${host}`;
    const target = { uri: `${scheme}:${call.number}@${host}`, from };
    let hangUp: () => void = () => {};
    const result = this.#startCall(peer, listener, call.pages, call.ident, (options, now) => {
      const placed = SipFaxCall.dial(target, options, now);
      hangUp = () => this.#calls.get(placed.call.callId)?.hangUp('cancelled by the service');
      return placed;
    });
    return { result, cancel: () => hangUp() };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#registration?.stop();
    for (const call of this.#calls.values()) call.drop();
    this.#calls.clear();
    await Promise.all([this.#udp?.close(), this.#stream?.close()]);
  }

  /** Binds a media port, runs the SIP call and, once it carries T.38, the fax; settles when both are over. */
  async #startCall(
    peer: SipFlow,
    listener: CallListener,
    pages: readonly BilevelPage[] | undefined,
    ident: string,
    begin: (options: SipFaxCallOptions, now: number) => { call: SipFaxCall; output: SipCallOutput },
  ): Promise<LineCallResult> {
    const answering = pages === undefined;
    this.#faxCalls += 1;
    try {
      const media = await this.#bindMedia();
      let begun: { call: SipFaxCall; output: SipCallOutput };
      try {
        begun = begin(this.#callOptions(media.address.port, peer.transport), this.#clock.now());
      } catch (error) {
        await media.release();
        throw error;
      }
      const { call: sip, output } = begun;
      const call = new SipLineCall({
        sip,
        peer,
        media,
        clock: this.#clock,
        send: (messages, to) => {
          for (const message of messages) this.#sendTo(message, to);
        },
        answering,
        legFor: (carriage, link) => this.#leg(carriage, link, listener, pages, ident),
        onFinished: () => this.#calls.delete(sip.callId),
      });
      this.#calls.set(sip.callId, call);
      call.start(output);
      return await call.result;
    } finally {
      this.#faxCalls -= 1;
    }
  }

  /**
   * The leg for what the far end negotiated: T.38 in its version, datagram size and UDPTL redundancy, or faxd's audio
   * modems over RTP in the agreed G.711 law.
   */
  #leg(
    carriage: CallCarriage,
    link: DatagramLink,
    listener: CallListener,
    pages: readonly BilevelPage[] | undefined,
    ident: string,
  ): MediaLeg {
    const common = {
      role: pages ? 'calling' : 'answering',
      ident,
      pages,
      ecm: this.#options.ecm,
      compression: this.#options.compression,
      ...listenerOptions(listener),
    } satisfies Partial<FaxStationOptions>;
    const station: FaxStationOptions =
      carriage.kind === 'audio'
        ? { ...common, redundancy: 0, media: carriage.selection.codec === 'PCMA' ? 'pcma' : 'pcmu' }
        : {
            ...common,
            version: carriage.session.version,
            maxDatagramSize: carriage.session.farMaxDatagram,
            redundancy: carriage.session.errorCorrection === 't38UDPRedundancy' ? REDUNDANCY : 0,
          };
    return new UdptlLeg({ station, link, cutOutcome: { code: 'remote-disconnected' } });
  }

  #callOptions(mediaPort: number, transport: SipTransportName): SipFaxCallOptions {
    return {
      local: this.#local(transport),
      user: this.#options.numbers[0] ?? 'faxd',
      media: {
        address: this.#mediaHost,
        port: mediaPort,
        t38: DEFAULT_T38_CAPABILITIES,
        audio: { codecs: ['PCMU', 'PCMA'], telephoneEvent: false },
      },
      ...(this.#options.username && {
        credentials: { username: this.#options.username, password: this.#options.password ?? '' },
      }),
      random: () => randomInt(0, 2 ** 32) / 2 ** 32,
      audioFax: this.#options.audioFax ?? true,
      ...this.#options.call,
    };
  }

  /** The first free port of the media range: each call has its own, so late datagrams never reach the next call. */
  async #bindMedia(): Promise<MediaSocket> {
    const { first, last } = this.#options.mediaPorts;
    const host = this.#options.listen.host;
    for (let port = first; port <= last; port++) {
      try {
        return await MediaSocket.bind({ host, port });
      } catch {}
    }
    throw new Error(`no free UDP port in ${first}-${last}`);
  }

  #sendTo(message: SipMessage, to: SipFlow): void {
    if (this.#closed) return;
    const transport: SipTransport | undefined = to.transport === 'UDP' ? this.#udp : this.#stream;
    transport?.send(message, to.remote);
  }

  /**
   * Every well-formed message, by whichever transport: matched to a call, the registration, or a new INVITE. A request
   * from outside `allow` is dropped before anything else, so it cannot reach a call either.
   */
  #receive(message: SipMessage, from: SipFlow): void {
    if (message.kind === 'request' && !this.#gate.admitsSource(from.remote.host)) return;
    const call = this.#calls.get(callIdOf(message));
    if (call) {
      call.receive(message);
      return;
    }
    if (message.kind === 'response') {
      this.#registration?.receive(message);
      return;
    }
    this.#request(message, from);
  }

  /** A request outside any call: OPTIONS answered, a new INVITE offered to the service, others refused. */
  #request(request: SipRequest, from: SipFlow): void {
    if (request.method === 'ACK') return;
    const screened = this.#gate.screen(request, from.remote.host, this.#clock.now());
    if (screened === 'drop') return;
    if (screened) {
      this.#sendTo(screened, from);
      return;
    }
    if (request.method === 'OPTIONS') {
      this.#sendTo(createSipResponse(request, 200, { headers: [{ name: 'Accept', value: 'application/sdp' }] }), from);
      return;
    }
    if (request.method !== 'INVITE') {
      this.#sendTo(
        createSipResponse(request, request.method === 'BYE' || request.method === 'CANCEL' ? 481 : 405),
        from,
      );
      return;
    }
    const number = decodedUser(request);
    const status = !this.#options.numbers.includes(number) ? 404 : this.busy || this.#calls.size >= MAX_CALLS ? 486 : 0;
    const callId = callIdOf(request);
    const hangUp = () => this.#calls.get(callId)?.hangUp('cancelled by the service');
    const offered = { callerId: callerOf(request), calledNumber: number, hangUp };
    const listener = status === 0 ? this.#incoming(offered) : undefined;
    if (!listener) {
      this.#sendTo(createSipResponse(request, status || 480, { toTag: `${randomInt(1e9)}` }), from);
      return;
    }
    void this.#startCall(from, listener, undefined, this.#options.csid, (options, now) => {
      const { call: sip, output } = SipFaxCall.incoming(request, options, now);
      const rings = this.#options.rings ?? 1;
      const next = rings > 1 ? sip.ring(now, (rings - 1) * RING_CYCLE_MS) : sip.accept(now);
      return { call: sip, output: { send: [...output.send, ...next.send], events: next.events } };
    })
      .catch((): LineCallResult => {
        // No media port left to answer on: the caller hears 503, and the service a call that never reached the fax.
        this.#sendTo(createSipResponse(request, 503, { toTag: `${randomInt(1e9)}` }), from);
        const outcome = { code: 'remote-disconnected' } as const;
        return { report: new CallReport(), outcome, received: [], failure: 'line-unavailable' };
      })
      .then((result) => listener.onEnd({ ...result, callerId: callerOf(request), calledNumber: number }));
  }
}
