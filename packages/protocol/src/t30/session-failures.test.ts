import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backToBack, eventsOf } from '../testing/t30-call.js';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import { T30Loopback } from '../testing/t30-loopback.js';
import { decodeT30Frame, type T30FrameType } from './frames/t30-frame.js';
import { T30Session } from './session.js';

function typeOf(bytes: Uint8Array): T30FrameType {
  return decodeT30Frame(bytes).frame.type;
}

function dropFrom(station: 'A' | 'B', types?: readonly T30FrameType[]) {
  return (bytes: Uint8Array, from: 'A' | 'B') =>
    from === station && (!types || types.includes(typeOf(bytes))) ? ('drop' as const) : ('pass' as const);
}

function countSent(frames: readonly Uint8Array[], type: T30FrameType): number {
  return frames.filter((bytes) => typeOf(bytes) === type).length;
}

describe('T30Session: timeouts and repeats', () => {
  it('gives up with T1 when the remote is silent', () => {
    const c = backToBack({ link: { frameHook: dropFrom('B') } });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'T1-expired' });
    assert.deepEqual(c.receiver.outcome, { code: 'T1-expired' });
    assert.ok(countSent(c.receiver.sentFrames, 'DIS') > 1, 'the answerer repeats DIS every T4');
  });

  it('repeats DCS three times, then fails when CFR never comes', () => {
    const c = backToBack({ receiver: { ecm: false }, link: { frameHook: dropFrom('B', ['CFR']) } });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'no-response', command: 'DCS' });
    assert.equal(countSent(c.sender.sentFrames, 'DCS'), 3);
    assert.equal(countSent(c.sender.sentFrames, 'DCN'), 1);
    assert.deepEqual(c.receiver.outcome, { code: 'remote-disconnected' });
  });

  it('repeats EOP three times when MCF never comes; the receiver still has the page', () => {
    const c = backToBack({ receiver: { ecm: false }, link: { frameHook: dropFrom('B', ['MCF']) } });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'no-response', command: 'EOP' });
    assert.equal(countSent(c.sender.sentFrames, 'EOP'), 3);
    assert.equal(countSent(c.receiver.sentFrames, 'MCF'), 3);
    assert.deepEqual(c.receiver.outcome, { code: 'ok', pages: 1 });
    assert.equal(c.sink.stored.length, 1);
  });

  it('repeats PPS three times when the ECM receiver never answers', () => {
    const c = backToBack({ link: { frameHook: dropFrom('B', ['MCF']) } });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'no-response', command: 'PPS' });
    assert.equal(countSent(c.sender.sentFrames, 'PPS'), 3);
  });
});

describe('T30Session: negotiation and quality failures', () => {
  it('cannot train when every TCF fails, after trying every rate', () => {
    const c = backToBack({ receiver: { ecm: false }, link: { damageTcf: () => true } });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'cannot-train' });
    assert.deepEqual(
      c.sender.negotiated().map((dcs) => `${dcs.modem}/${dcs.bitRate}`),
      ['v17/14400', 'v17/12000', 'v17/9600', 'v17/7200', 'v29/9600', 'v29/7200', 'v27ter/4800', 'v27ter/2400'],
    );
    assert.deepEqual(c.receiver.outcome, { code: 'remote-disconnected' });
  });

  it('rejects a page after three RTNs', () => {
    const sink = new MemoryDocumentSink((data) => {
      const rows = Math.ceil(data.length / 216);
      return { rows, badRows: rows, consecutiveBadRows: rows };
    });
    const c = backToBack({ receiver: { ecm: false }, sink });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'page-rejected', page: 1 });
    assert.deepEqual(c.receiver.outcome, { code: 'page-rejected', page: 1 });
    assert.equal(countSent(c.receiver.sentFrames, 'RTN'), 3);
    assert.equal(sink.stored.length, 0);
  });

  it('ends with an ECM failure when a frame never gets through: CTC twice, then EOR', () => {
    const c = backToBack({
      link: {
        frameHook: (bytes) => {
          const { frame } = decodeT30Frame(bytes);
          return frame.type === 'FCD' && frame.frameNumber === 0 ? 'drop' : 'pass';
        },
      },
    });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'ecm-failure', page: 1 });
    assert.deepEqual(c.receiver.outcome, { code: 'ecm-failure', page: 1 });
    assert.equal(countSent(c.receiver.sentFrames, 'PPR'), 12);
    assert.deepEqual(
      eventsOf(c.sender.events, 'retrain').map((e) => [e.reason, e.bitRate]),
      [
        ['CTC', 12000],
        ['CTC', 9600],
      ],
    );
    assert.equal(countSent(c.receiver.sentFrames, 'ERR'), 1);
  });

  it('reports incompatible capabilities when no modem is common', () => {
    const c = backToBack({
      sender: { modems: new Set(['v17']) },
      receiver: { modems: new Set(['v27ter']), bitRates: new Set([4800, 2400]) },
    });
    c.loop.run();
    assert.deepEqual(c.sender.outcome, { code: 'incompatible', reason: 'no-common-modem' });
    assert.deepEqual(c.receiver.outcome, { code: 'remote-disconnected' });
  });

  it('reports a remote that cannot receive, and one that cannot transmit when polled', () => {
    for (const direction of ['send', 'receive'] as const) {
      const source = new MemoryDocumentSource([testPageData(1, 100)]);
      const sink = new MemoryDocumentSink();
      const caller = new T30Session({ role: 'calling', direction, capabilities: g3Capabilities(), source, sink });
      const answerer = new T30Session({ role: 'answering', direction, capabilities: g3Capabilities(), source, sink });
      const loop = new T30Loopback(caller, answerer);
      loop.run();
      assert.deepEqual(loop.a.outcome, {
        code: direction === 'send' ? 'remote-cannot-receive' : 'remote-cannot-transmit',
      });
      assert.deepEqual(loop.b.outcome, { code: 'remote-disconnected' });
    }
  });
});

describe('T30Session: cancel and disconnect', () => {
  for (const ecm of [false, true]) {
    for (const side of ['sender', 'receiver'] as const) {
      it(`${side} cancels mid-page (${ecm ? 'ECM' : 'non-ECM'})`, () => {
        const c = backToBack({ pages: [testPageData(5, 30_000)], receiver: { ecm } });
        // Phase C starts at about 7 s; the page takes about 17 s at 14400 bit/s.
        c.loop.inject(c[side], 12_000, { type: 'cancel' });
        c.loop.run();
        const other = side === 'sender' ? c.receiver : c.sender;
        assert.deepEqual(c[side].outcome, { code: 'local-cancel' });
        assert.deepEqual(other.outcome, { code: 'remote-cancel' });
        assert.equal(eventsOf(c.receiver.events, 'page-started').length, 1);
        assert.equal(eventsOf(c.receiver.events, 'page-done').length, 0);
        assert.equal(c.sink.stored.length, 0);
      });
    }
  }

  it('reports the remote disconnecting in phase B', () => {
    const c = backToBack();
    c.loop.inject(c.receiver, 3_000, { type: 'cancel' });
    c.loop.run();
    assert.deepEqual(c.receiver.outcome, { code: 'local-cancel' });
    assert.deepEqual(c.sender.outcome, { code: 'remote-disconnected' });
  });
});
