// Test support: two SIP line calls back to back on a manual clock, their user agents joined by an in-memory wire and
// their legs (T.38, or G.711 audio on faxd's modems) by in-memory media ports, so a whole fax over SIP runs fast.
import {
  type BilevelPage,
  createPage,
  SipFaxCall,
  type SipFaxCallOptions,
  type SipMessage,
  type SipRequest,
  type T30Event,
} from '@faxd/protocol';
import { sipCallOptions, wire } from '@faxd/protocol/testing/sip-call-link';
import type { LineCallResult } from '../lines/fax-line.js';
import type { FaxStationOptions } from '../lines/fax-station.js';
import type { CallMediaPort, DatagramLink } from '../lines/media-leg.js';
import { type CallCarriage, SipLineCall } from '../lines/sip-line-call.js';
import { UdptlLeg } from '../lines/udptl-leg.js';
import type { ManualClock } from './manual-clock.js';

const LATENCY_MS = 10;
const FLOW = { transport: 'UDP', remote: { host: '192.0.2.1', port: 5060 } } as const;

export function bandedPage(): BilevelPage {
  const page = createPage({ width: 1728, height: 60, xResolution: 204, yResolution: 98 });
  for (let row = 0; row < page.height; row += 6) page.data.fill(0xf0, row * page.stride, (row + 2) * page.stride);
  return page;
}

export interface MemoryPort {
  readonly port: CallMediaPort;
  released(): boolean;
  /** Datagrams the call handed to the port. */
  sent(): number;
  /** Sent datagrams are lost on the way while this is true. */
  mute: boolean;
}

/** An in-memory media port: what it sends reaches `far()`'s receiver LATENCY_MS later, once the call named a remote. */
function mediaPort(clock: ManualClock, far: () => CallMediaPort): MemoryPort {
  let released = false;
  let sent = 0;
  const port: CallMediaPort = {
    remote: undefined,
    receiver: undefined,
    send: (datagram) => {
      sent += 1;
      if (port.remote && !memory.mute) clock.wakeAt(clock.now() + LATENCY_MS, () => far().receiver?.(datagram));
    },
    release: async () => {
      released = true;
    },
  };
  const memory: MemoryPort = { port, released: () => released, sent: () => sent, mute: false };
  return memory;
}

export interface CallPairOptions {
  /** Each user agent's options beyond the defaults. */
  readonly caller?: Partial<SipFaxCallOptions>;
  readonly callee?: Partial<SipFaxCallOptions>;
  /** Drops a SIP message on the wire (toward the callee or the caller) when true. */
  readonly drop?: (message: SipMessage, to: 'caller' | 'callee') => boolean;
  /** Each session event of either end's legs. */
  readonly onEvent?: (role: 'calling' | 'answering', event: T30Event) => void;
}

/** What each leg carried, in the order the legs started. */
export type CarriageLog = {
  readonly role: 'calling' | 'answering';
  readonly kind: CallCarriage['kind'];
  /** The G.711 law of an audio leg. */
  readonly codec?: string;
}[];

/** A caller placing a fax to a callee that answers at once, each a SipLineCall with a leg for what it carries. */
export function backToBack(clock: ManualClock, page: BilevelPage, options: CallPairOptions = {}) {
  const media: { caller: MemoryPort; callee: MemoryPort } = {
    caller: mediaPort(clock, () => media.callee.port),
    callee: mediaPort(clock, () => media.caller.port),
  };
  const carried: CarriageLog = [];
  const drop = options.drop ?? (() => false);
  let callee: SipLineCall | undefined;
  let settleCallee: (result: LineCallResult) => void = () => {};
  const calleeResult = new Promise<LineCallResult>((resolve) => {
    settleCallee = resolve;
  });
  const leg = (role: 'calling' | 'answering') => (carriage: CallCarriage, link: DatagramLink) => {
    carried.push({ role, kind: carriage.kind, ...(carriage.kind === 'audio' && { codec: carriage.selection.codec }) });
    const common = {
      role,
      ident: role === 'calling' ? 'SENDER' : 'RECEIVER',
      ...(role === 'calling' && { pages: [page] }),
      ecm: true,
      compression: 'mr',
      redundancy: 0,
      onEvent: (event: T30Event) => options.onEvent?.(role, event),
    } satisfies FaxStationOptions;
    const station: FaxStationOptions =
      carriage.kind === 'audio'
        ? { ...common, media: carriage.selection.codec === 'PCMA' ? 'pcma' : 'pcmu' }
        : { ...common, version: carriage.session.version, maxDatagramSize: carriage.session.farMaxDatagram };
    return new UdptlLeg({ station, link, cutOutcome: { code: 'remote-disconnected' }, clock });
  };
  const toCallee = (message: SipMessage) => {
    if (callee) {
      callee.receive(message);
      return;
    }
    const { call: sip, output } = SipFaxCall.incoming(
      message as SipRequest,
      sipCallOptions(5070, 2, options.callee),
      clock.now(),
    );
    callee = new SipLineCall({
      sip,
      peer: FLOW,
      media: media.callee.port,
      clock,
      send: (messages) => {
        for (const m of messages) {
          if (!drop(m, 'caller')) clock.wakeAt(clock.now() + LATENCY_MS, () => caller.receive(wire(m)));
        }
      },
      answering: true,
      legFor: leg('answering'),
      onFinished: () => {},
    });
    void callee.result.then(settleCallee);
    const accepted = sip.accept(clock.now());
    callee.start({ send: [...output.send, ...accepted.send], events: accepted.events });
  };
  const target = { uri: 'sip:5550100@192.0.2.1:5070', from: 'sip:u5060@192.0.2.1' };
  const placed = SipFaxCall.dial(target, sipCallOptions(5060, 1, options.caller), clock.now());
  const caller: SipLineCall = new SipLineCall({
    sip: placed.call,
    peer: FLOW,
    media: media.caller.port,
    clock,
    send: (messages) => {
      for (const m of messages) {
        if (!drop(m, 'callee')) clock.wakeAt(clock.now() + LATENCY_MS, () => toCallee(wire(m)));
      }
    },
    answering: false,
    legFor: leg('calling'),
    onFinished: () => {},
  });
  return { caller, callee: () => callee, calleeResult, media, carried, start: () => caller.start(placed.output) };
}
