// A SIP fax line (DESIGN.md §3 `sip` lines): SIP over UDP, or UDP and TCP on one port (RFC 3261 §18), answering
// INVITEs for its numbers and placing calls through its proxy, each call carrying T.38 on its own UDPTL port.

import { randomInt } from 'node:crypto';
import type { Socket } from 'node:dgram';
import {
  type BilevelPage,
  callIdOf,
  createSipResponse,
  DEFAULT_T38_CAPABILITIES,
  decodeSipUri,
  headerValue,
  type SipCallOutput,
  SipFaxCall,
  type SipFaxCallOptions,
  type SipMessage,
  type SipRequest,
  type SipTransportName,
  toOf,
} from '@faxd/protocol';
import { advertisedHost } from './advertised-host.js';
import { CallReport } from './call-report.js';
import type {
  CallFailure,
  CallListener,
  FaxLine,
  IncomingCallHandler,
  LineCallResult,
  OutgoingCall,
  PlacedCall,
} from './fax-line.js';
import { type CallCompression, createFaxStation, type FaxStation } from './fax-station.js';
import { SipRegistration } from './sip-registration.js';
import { SipTcpTransport } from './sip-tcp-transport.js';
import { endpointOfUri, type SipFlow, type SipReceiver, type SipTransport } from './sip-transport.js';
import { SipUdpTransport } from './sip-udp-transport.js';
import { StationDriver } from './station-driver.js';
import { bindUdpSocket, type UdpEndpoint } from './udptl-socket.js';

export interface SipLineOptions {
  readonly listen: UdpEndpoint;
  /**
   * `udp` (the default): SIP over UDP only. `tcp`: the line listens for both on `listen`'s port and places its calls
   * and REGISTERs over TCP.
   */
  readonly transport?: 'udp' | 'tcp';
  /** The host peers reach us at, in Via, Contact and SDP (see advertisedHost for the default). */
  readonly advertise?: string;
  readonly numbers: readonly string[];
  /** Where calls go: `sip:host[:port]`; without it, the number must be a full SIP URI's user part at no host. */
  readonly proxy?: string;
  readonly registrar?: string;
  readonly username?: string;
  readonly password?: string;
  readonly mediaPorts: { readonly first: number; readonly last: number };
  readonly ecm: boolean;
  readonly compression: CallCompression;
  readonly csid: string;
  /** Rings before an offered call is answered (180 Ringing meanwhile); 0 or 1 answers at once. */
  readonly rings?: number;
  /** Options passed to every call's user agent (tests shorten its timers). */
  readonly call?: Partial<SipFaxCallOptions>;
}

/** No call lasts longer than this: the T.30 timers end a silent one long before. */
const CALL_LIMIT_MS = 60 * 60 * 1000;
/** One ring of the usual cadence (2 s on, 4 s off): the first answers at once, each further one waits this long. */
const RING_CYCLE_MS = 6_000;
/** UDPTL secondaries when the peer accepted redundancy (the CLI's default too). */
const REDUNDANCY = 3;

interface ActiveCall {
  readonly sip: SipFaxCall;
  readonly peer: SipFlow;
  readonly media: Socket;
  timer?: NodeJS.Timeout;
  onMedia(remote: UdpEndpoint, event: Extract<SipCallOutput['events'][number], { type: 'media' }>): void;
  onEnded(failure: CallFailure | undefined, byPeer: boolean): void;
}

export class SipLine implements FaxLine {
  readonly #options: SipLineOptions;
  readonly #udp: SipUdpTransport;
  readonly #tcp: SipTcpTransport | undefined;
  /** What our own calls and REGISTERs go over; a peer's call stays on the transport it came by. */
  readonly #outbound: SipTransportName;
  /** The advertised host as SIP writes it (IPv6 in brackets) and as SDP does. */
  readonly #sipHost: string;
  readonly #mediaHost: string;
  readonly #calls = new Map<string, ActiveCall>();
  readonly #registration: SipRegistration | undefined;
  #incoming: IncomingCallHandler = () => undefined;
  #faxCalls = 0;
  #closed = false;

  private constructor(options: SipLineOptions, host: string, udp: SipUdpTransport, tcp: SipTcpTransport | undefined) {
    this.#options = options;
    this.#udp = udp;
    this.#tcp = tcp;
    this.#outbound = tcp ? 'TCP' : 'UDP';
    this.#mediaHost = host;
    this.#sipHost = host.includes(':') ? `[${host}]` : host;
    if (options.registrar && options.username) {
      this.#registration = new SipRegistration({
        registrar: options.registrar,
        username: options.username,
        password: options.password ?? '',
        local: this.#local(this.#outbound),
        send: (message, to) => this.#sendTo(message, { transport: this.#outbound, remote: to }),
      });
    }
  }

  static async open(options: SipLineOptions): Promise<SipLine> {
    const host = advertisedHost(options.listen.host, options.advertise);
    let line: SipLine | undefined;
    // Anything arriving in the moment before the line exists is dropped like a lost datagram.
    const { udp, tcp } = await openTransports(options, (message, from) => {
      if (line) line.#receive(message, from);
    });
    line = new SipLine(options, host, udp, tcp);
    line.#registration?.start();
    return line;
  }

  /** Where the SIP socket listens (tests bind to port 0); with TCP, its listener has the same port. */
  get address(): UdpEndpoint {
    return this.#udp.address;
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
    const peer = { transport: this.#outbound, remote: endpointOfUri(proxy) };
    const host = `${proxy.host}${proxy.port ? `:${proxy.port}` : ''}`;
    const target = { uri: `sip:${call.number}@${host}`, from: `sip:${this.#options.numbers[0] ?? 'faxd'}@${host}` };
    let hangUp: () => void = () => {};
    const result = this.#startCall(peer, listener, call.pages, call.ident, async (options) => {
      const { call: sip, output } = SipFaxCall.dial(target, options, performance.now());
      hangUp = () => this.#pump(sip.callId, sip.hangUp(performance.now(), 'cancelled by the service'));
      return { sip, output };
    });
    return { result, cancel: () => hangUp() };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#registration?.stop();
    for (const call of this.#calls.values()) {
      this.#send(call, call.sip.hangUp(performance.now(), 'line closed').send);
      call.onEnded('call-aborted', false);
      clearTimeout(call.timer);
    }
    this.#calls.clear();
    await Promise.all([this.#udp.close(), this.#tcp?.close()]);
  }

  /** Binds a media port, runs the SIP call and, once it carries T.38, the fax; settles when both are over. */
  async #startCall(
    peer: SipFlow,
    listener: CallListener,
    pages: readonly BilevelPage[] | undefined,
    ident: string,
    begin: (options: SipFaxCallOptions) => Promise<{ sip: SipFaxCall; output: SipCallOutput }>,
  ): Promise<LineCallResult> {
    this.#faxCalls += 1;
    const media = await this.#bindMedia();
    const role = pages ? 'calling' : 'answering';
    let faxStation: FaxStation | undefined;
    let driver: StationDriver | undefined;
    let remote: UdpEndpoint | undefined;
    let settle: (value: LineCallResult) => void = () => {};
    const done = new Promise<LineCallResult>((resolve) => {
      settle = resolve;
    });
    let over = false;
    const finish = (failure: CallFailure | undefined) => {
      if (over) return;
      over = true;
      clearTimeout(limit);
      media.close();
      const outcome = driver?.station.outcome ?? { code: 'remote-disconnected' as const };
      const report = faxStation?.report ?? new CallReport();
      settle({ report, outcome, received: faxStation?.sink.pages ?? [], ...(failure && { failure }) });
    };
    const limit = setTimeout(() => driver?.cancel(), CALL_LIMIT_MS);
    media.on('message', (datagram, from) => {
      if (remote && from.port === remote.port) driver?.receive(new Uint8Array(datagram));
    });
    media.on('error', () => {});
    const { sip, output } = await begin(this.#callOptions(media, peer.transport));
    const active: ActiveCall = {
      sip,
      peer,
      media,
      onMedia: (to, event) => {
        remote = to;
        if (driver) return;
        const station = createFaxStation({
          role,
          ident,
          pages,
          ecm: this.#options.ecm,
          compression: this.#options.compression,
          version: event.session.version,
          maxDatagramSize: event.session.farMaxDatagram,
          redundancy: event.session.errorCorrection === 't38UDPRedundancy' ? REDUNDANCY : 0,
          onEvent: (t30, report) => listener.onEvent(t30, report),
        });
        faxStation = station;
        const running = new StationDriver(station.station, (datagrams) => {
          for (const datagram of datagrams) if (remote) media.send(datagram, remote.port, remote.host);
        });
        driver = running;
        running.start();
        void running.done.then(() => {
          // The fax is over: hang up, then report once the datagrams have gone.
          if (sip.state !== 'ended') this.#pump(sip.callId, sip.hangUp(performance.now(), 'fax finished'));
          setTimeout(() => finish(undefined), 50);
        });
      },
      onEnded: (failure, byPeer) => {
        if (driver && !driver.station.finished) {
          // A hang-up after the T.30 outcome (the far end's BYE right after DCN) ends a finished fax; before it, the
          // fax was cut mid-call: what arrived so far is kept and the call counts as aborted.
          const aborted = driver.station.outcome === undefined;
          driver.abandon();
          finish(aborted ? (byPeer ? 'call-aborted' : failure) : undefined);
        } else if (!driver) {
          finish(failure ?? (byPeer ? 'call-aborted' : 'not-fax'));
        }
      },
    };
    this.#calls.set(sip.callId, active);
    this.#pump(sip.callId, output);
    const result = await done;
    this.#faxCalls -= 1;
    return result;
  }

  #callOptions(media: Socket, transport: SipTransportName): SipFaxCallOptions {
    return {
      local: this.#local(transport),
      user: this.#options.numbers[0] ?? 'faxd',
      media: {
        address: this.#mediaHost,
        port: media.address().port,
        t38: DEFAULT_T38_CAPABILITIES,
        audio: { codecs: ['PCMU', 'PCMA'], telephoneEvent: false },
      },
      ...(this.#options.username && {
        credentials: { username: this.#options.username, password: this.#options.password ?? '' },
      }),
      random: () => randomInt(0, 2 ** 32) / 2 ** 32,
      ...this.#options.call,
    };
  }

  /** The first free port of the media range: each call has its own, so late datagrams never reach the next call. */
  async #bindMedia(): Promise<Socket> {
    const { first, last } = this.#options.mediaPorts;
    const host = this.#options.listen.host;
    for (let port = first; port <= last; port++) {
      try {
        return await bindUdpSocket({ host, port });
      } catch {}
    }
    throw new Error(`no free UDP port in ${first}-${last}`);
  }

  /** Sends a call's messages, reports its events, and re-arms its timer; forgets it once finished. */
  #pump(callId: string, output: SipCallOutput): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    this.#send(call, output.send);
    for (const event of output.events) {
      if (event.type === 'media') call.onMedia({ host: event.remote.address, port: event.remote.port }, event);
      else call.onEnded(event.failure, event.byPeer);
    }
    clearTimeout(call.timer);
    if (call.sip.finished) {
      this.#calls.delete(callId);
      return;
    }
    const deadline = call.sip.nextDeadline();
    if (deadline !== undefined) {
      call.timer = setTimeout(
        () => this.#pump(callId, call.sip.advance(performance.now())),
        Math.max(0, deadline - performance.now()),
      );
    }
  }

  #send(call: ActiveCall, messages: readonly SipMessage[]): void {
    for (const message of messages) this.#sendTo(message, call.peer);
  }

  #sendTo(message: SipMessage, to: SipFlow): void {
    if (this.#closed) return;
    const transport: SipTransport = (to.transport === 'TCP' && this.#tcp) || this.#udp;
    transport.send(message, to.remote);
  }

  /** Every well-formed message, by whichever transport: matched to a call, the registration, or a new INVITE. */
  #receive(message: SipMessage, from: SipFlow): void {
    const call = this.#calls.get(callIdOf(message));
    if (call) {
      this.#pump(call.sip.callId, call.sip.receive(message, performance.now()));
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
    const status = !this.#options.numbers.includes(number) ? 404 : this.busy ? 486 : 0;
    const listener = status === 0 ? this.#incoming({ callerId: callerOf(request), calledNumber: number }) : undefined;
    if (!listener) {
      this.#sendTo(createSipResponse(request, status || 480, { toTag: `${randomInt(1e9)}` }), from);
      return;
    }
    void this.#startCall(from, listener, undefined, this.#options.csid, async (options) => {
      const now = performance.now();
      const { call: sip, output } = SipFaxCall.incoming(request, options, now);
      const rings = this.#options.rings ?? 1;
      const next = rings > 1 ? sip.ring(now, (rings - 1) * RING_CYCLE_MS) : sip.accept(now);
      return { sip, output: { send: [...output.send, ...next.send], events: next.events } };
    }).then((result) => listener.onEnd({ ...result, callerId: callerOf(request), calledNumber: number }));
  }
}

/** The dialed number: the Request-URI's user part (To's when the URI has none). */
function decodedUser(request: SipRequest): string {
  const user = (uri: string) => {
    try {
      return decodeURIComponent(decodeSipUri(uri).user ?? '').split(';')[0] ?? '';
    } catch {
      return '';
    }
  };
  return user(request.uri) || user(toOf(request).uri);
}

function callerOf(request: SipRequest): string {
  const from = headerValue(request.headers, 'P-Asserted-Identity') ?? headerValue(request.headers, 'From') ?? '';
  return /sips?:([^@;>]+)/.exec(from)?.[1] ?? '';
}

/** Binds UDP at `listen` and, for `tcp`, a TCP listener on the same port (a fresh pair when port 0 drew a taken one). */
async function openTransports(
  options: SipLineOptions,
  receive: SipReceiver,
): Promise<{ udp: SipUdpTransport; tcp: SipTcpTransport | undefined }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await SipUdpTransport.open(options.listen, receive);
    if (options.transport !== 'tcp') return { udp, tcp: undefined };
    try {
      return { udp, tcp: await SipTcpTransport.listen({ host: options.listen.host, port: udp.address.port }, receive) };
    } catch (error) {
      await udp.close();
      if (options.listen.port !== 0 || attempt === 5) throw error;
    }
  }
}
