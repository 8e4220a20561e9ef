// Two SIP line calls back to back on a manual clock: their user agents joined by an in-memory wire, their T.38 legs by
// in-memory media ports, so a whole fax over SIP, and a hang-up in the middle of one, run in milliseconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BilevelPage,
  createPage,
  SipFaxCall,
  type SipMessage,
  type SipRequest,
  samePixels,
  type T38Session,
} from '@faxd/protocol';
import { sipCallOptions, wire } from '@faxd/protocol/testing/sip-call-link';
import { advanceUntil, ManualClock } from '../testing/manual-clock.js';
import type { LineCallResult } from './fax-line.js';
import type { CallMediaPort, DatagramLink } from './media-leg.js';
import { SipLineCall } from './sip-line-call.js';
import { UdptlLeg } from './udptl-leg.js';

const LATENCY_MS = 10;
const FLOW = { transport: 'UDP', remote: { host: '192.0.2.1', port: 5060 } } as const;

function bandedPage(): BilevelPage {
  const page = createPage({ width: 1728, height: 60, xResolution: 204, yResolution: 98 });
  for (let row = 0; row < page.height; row += 6) page.data.fill(0xf0, row * page.stride, (row + 2) * page.stride);
  return page;
}

interface MemoryPort {
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

/** A caller placing a fax to a callee that answers at once, each a SipLineCall with a T.38 leg. */
function backToBack(clock: ManualClock, page: BilevelPage) {
  const media: { caller: MemoryPort; callee: MemoryPort } = {
    caller: mediaPort(clock, () => media.callee.port),
    callee: mediaPort(clock, () => media.caller.port),
  };
  let callee: SipLineCall | undefined;
  let settleCallee: (result: LineCallResult) => void = () => {};
  const calleeResult = new Promise<LineCallResult>((resolve) => {
    settleCallee = resolve;
  });
  const leg = (role: 'calling' | 'answering') => (session: T38Session, link: DatagramLink) =>
    new UdptlLeg({
      station: {
        role,
        ident: role === 'calling' ? 'SENDER' : 'RECEIVER',
        ...(role === 'calling' && { pages: [page] }),
        ecm: true,
        compression: 'mr',
        redundancy: 0,
        version: session.version,
        maxDatagramSize: session.farMaxDatagram,
      },
      link,
      cutOutcome: { code: 'remote-disconnected' },
      clock,
    });
  const toCallee = (message: SipMessage) => {
    if (callee) {
      callee.receive(message);
      return;
    }
    const { call: sip, output } = SipFaxCall.incoming(message as SipRequest, sipCallOptions(5070, 2), clock.now());
    callee = new SipLineCall({
      sip,
      peer: FLOW,
      media: media.callee.port,
      clock,
      send: (messages) => {
        for (const m of messages) clock.wakeAt(clock.now() + LATENCY_MS, () => caller.receive(wire(m)));
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
  const placed = SipFaxCall.dial(target, sipCallOptions(5060, 1), clock.now());
  const caller: SipLineCall = new SipLineCall({
    sip: placed.call,
    peer: FLOW,
    media: media.caller.port,
    clock,
    send: (messages) => {
      for (const m of messages) clock.wakeAt(clock.now() + LATENCY_MS, () => toCallee(wire(m)));
    },
    answering: false,
    legFor: leg('calling'),
    onFinished: () => {},
  });
  return { caller, callee: () => callee, calleeResult, media, start: () => caller.start(placed.output) };
}

describe('SipLineCall', () => {
  it('runs the fax once the call carries T.38, hangs up when it is over, and reports after the media port is released', async () => {
    const clock = new ManualClock(0);
    const page = bandedPage();
    const { caller, calleeResult, media, start } = backToBack(clock, page);
    start();
    const both = Promise.all([caller.result, calleeResult]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = await both;
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
    assert.equal(sent.failure, undefined);
    assert.equal(received.failure, undefined);
    assert.ok(samePixels(received.received[0] as BilevelPage, page));
    assert.equal(caller.sip.state, 'ended');
    assert.ok(media.caller.released() && media.callee.released());
  });

  it('a BYE in the middle of the fax cuts it: the call counts as aborted, the leg stops, the port is released', async () => {
    const clock = new ManualClock(0);
    const { caller, callee, calleeResult, media, start } = backToBack(clock, bandedPage());
    start();
    // Far enough in for the call to carry T.38 and the fax to be under way, not far enough for it to be over.
    while (clock.now() < 3_000) {
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(media.caller.port.remote, 'the call carries T.38 by now');
    callee()?.hangUp('the far end hangs up');
    await advanceUntil(clock, caller.result, 60_000);
    const cut = await caller.result;
    assert.equal(cut.failure, 'call-aborted');
    assert.deepEqual(cut.outcome, { code: 'remote-disconnected' });
    assert.ok(media.caller.released());
    const ended = await calleeResult;
    assert.equal(ended.received.length, 0);
  });

  it('answers a call but sends no media until the far end has sent some, then carries the fax', async () => {
    const clock = new ManualClock(0);
    const { caller, calleeResult, media, start } = backToBack(clock, bandedPage());
    // The caller's CNG and everything after it are lost: the callee hears nothing on its media port.
    media.caller.mute = true;
    start();
    await advanceUntil(clock, new Promise((resolve) => clock.wakeAt(10_000, () => resolve(undefined))), 10_000);
    assert.ok(media.caller.port.remote && media.callee.port.remote, 'both ends carry T.38 by now');
    assert.ok(media.caller.sent() > 0, 'the caller announced itself');
    assert.equal(media.callee.sent(), 0, 'the callee answered the call but kept its media to itself');
    // Once the caller's media gets through, the callee's next DIS goes out and the fax runs to its end.
    media.caller.mute = false;
    const both = Promise.all([caller.result, calleeResult]);
    await advanceUntil(clock, both, 120_000);
    const [sent, received] = await both;
    assert.ok(media.callee.sent() > 0);
    assert.deepEqual(sent.outcome, { code: 'ok', pages: 1 });
    assert.deepEqual(received.outcome, { code: 'ok', pages: 1 });
  });
});
