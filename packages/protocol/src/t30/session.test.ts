import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LossyLink } from '../testing/lossy-link.js';
import { backToBack, type Call, eventsOf, RECEIVER_IDENT, SENDER_IDENT } from '../testing/t30-call.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import type { CodingScheme } from './frames/dis-dcs-bits.js';
import { decodeT30Frame, type T30FrameType } from './frames/t30-frame.js';

function threePages(): Uint8Array[] {
  return [testPageData(11, 5000), testPageData(12, 1200), testPageData(13, 9000)];
}

/** Both ends report success and the sink holds exactly the pages sent, in order. */
function assertDelivered(call: Call): void {
  const { sender, receiver, sink, pages } = call;
  assert.deepEqual(sender.outcome, { code: 'ok', pages: pages.length });
  assert.deepEqual(receiver.outcome, { code: 'ok', pages: pages.length });
  assert.deepEqual(
    sink.stored.map((page) => page.page),
    pages.map((_, i) => i + 1),
  );
  for (const [i, page] of sink.stored.entries()) assert.deepEqual(page.data, pages[i], `page ${i + 1}`);
}

function fcdNumber(bytes: Uint8Array): number | undefined {
  const { frame } = decodeT30Frame(bytes);
  return frame.type === 'FCD' ? frame.frameNumber : undefined;
}

describe('T30Session: non-ECM transfers', () => {
  it('sends one page and reports idents, rate and page events', () => {
    const c = backToBack({ receiver: { ecm: false } });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(eventsOf(c.sender.events, 'remote-ident'), [
      { type: 'remote-ident', frame: 'CSI', ident: RECEIVER_IDENT },
    ]);
    assert.deepEqual(eventsOf(c.receiver.events, 'remote-ident'), [
      { type: 'remote-ident', frame: 'TSI', ident: SENDER_IDENT },
    ]);
    const dcs = c.receiver.negotiated()[0];
    assert.deepEqual(
      [dcs.modem, dcs.bitRate, dcs.ecm, dcs.compression, dcs.resolution],
      ['v17', 14400, false, 'mr', 'superfine'],
    );
    assert.deepEqual(eventsOf(c.sender.events, 'page-started'), [{ type: 'page-started', page: 1, of: 1 }]);
    assert.deepEqual(eventsOf(c.receiver.events, 'page-done'), [
      { type: 'page-done', page: 1, result: 'MCF', rows: Math.ceil(3000 / 216), badRows: 0, consecutiveBadRows: 0 },
    ]);
    assert.deepEqual(
      eventsOf(c.sender.events, 'phase').map((e) => e.phase),
      ['B', 'C', 'D', 'E'],
    );
  });

  for (const compression of ['mh', 'mr'] as const) {
    it(`sends three pages coded ${compression}`, () => {
      const compressions = new Set<CodingScheme>(compression === 'mh' ? ['mh'] : ['mh', 'mr']);
      const c = backToBack({ pages: threePages(), sender: { compressions }, receiver: { ecm: false } });
      c.loop.run();
      assertDelivered(c);
      assert.deepEqual(
        c.source.requests.map((r) => [r.index, r.format.compression, r.format.ecm]),
        [0, 1, 2].map((i) => [i, compression, false]),
      );
      assert.deepEqual(
        eventsOf(c.sender.events, 'page-done').map((e) => [e.page, e.result]),
        [
          [1, 'MCF'],
          [2, 'MCF'],
          [3, 'MCF'],
        ],
      );
    });
  }

  it('falls back to 12000 bit/s when TCF fails at 14400', () => {
    const c = backToBack({ receiver: { ecm: false }, link: { damageTcf: (modem) => modem.bitRate === 14400 } });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(
      c.sender.negotiated().map((dcs) => dcs.bitRate),
      [14400, 12000],
    );
    assert.deepEqual(
      eventsOf(c.receiver.events, 'training').map((e) => [e.bitRate, e.ok]),
      [
        [14400, false],
        [12000, true],
      ],
    );
    assert.deepEqual(eventsOf(c.sender.events, 'retrain'), [{ type: 'retrain', reason: 'FTT', bitRate: 12000 }]);
    assert.equal(c.sink.stored[0].format.bitRate, 12000);
  });

  it('retrains and resends a page the receiver answered RTN', () => {
    const sink = new MemoryDocumentSink((data, _format, call) => {
      const rows = Math.ceil(data.length / 216);
      return call === 1
        ? { rows, badRows: rows, consecutiveBadRows: rows }
        : { rows, badRows: 0, consecutiveBadRows: 0 };
    });
    const c = backToBack({ pages: threePages(), receiver: { ecm: false }, sink });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(
      eventsOf(c.receiver.events, 'page-done').map((e) => [e.page, e.result]),
      [
        [1, 'MCF'],
        [2, 'RTN'],
        [2, 'MCF'],
        [3, 'MCF'],
      ],
    );
    assert.deepEqual(eventsOf(c.sender.events, 'retrain'), [{ type: 'retrain', reason: 'RTN', bitRate: 14400 }]);
    assert.deepEqual(
      c.source.requests.map((r) => r.index),
      [0, 1, 1, 2],
    );
  });

  it('accepts a marginal page with RTP and retrains before the next one', () => {
    const sink = new MemoryDocumentSink((data, _format, call) => {
      const rows = Math.ceil(data.length / 216);
      const badRows = call === 0 ? Math.floor(rows / 20) : 0;
      return { rows, badRows, consecutiveBadRows: badRows };
    });
    const c = backToBack({ pages: threePages(), receiver: { ecm: false }, sink });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(
      eventsOf(c.sender.events, 'page-done').map((e) => e.result),
      ['RTP', 'MCF', 'MCF'],
    );
    assert.equal(c.sender.negotiated().length, 1);
    assert.equal(eventsOf(c.receiver.events, 'training').length, 2);
  });

  it('returns to phase B with EOM when the next page needs a new format', () => {
    const pages = threePages();
    const c = backToBack({
      source: new MemoryDocumentSource(pages, { newFormatBefore: [2] }),
      pages,
      receiver: { ecm: false },
    });
    c.loop.run();
    assertDelivered(c);
    assert.equal(eventsOf(c.sender.events, 'remote-capabilities').length, 2);
    assert.equal(c.sender.negotiated().length, 2);
  });

  it('reports SUB and SID the receiver offered to take', () => {
    const c = backToBack({
      receiver: { ecm: false, flags: new Set(['subaddress', 'password']) },
      senderOptions: { subaddress: '4711', senderId: 'secret' },
    });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(eventsOf(c.receiver.events, 'remote-address'), [
      { type: 'remote-address', frame: 'SUB', value: '4711' },
      { type: 'remote-address', frame: 'SID', value: 'secret' },
    ]);
    assert.ok(c.receiver.negotiated()[0].flags.has('subaddress'));
  });

  it('survives lost and duplicated control frames', () => {
    const c = backToBack({
      pages: threePages(),
      receiver: { ecm: false },
      link: { link: new LossyLink({ seed: 7, dropRate: 0.1, duplicateRate: 0.1 }) },
    });
    c.loop.run();
    assertDelivered(c);
  });
});

/** Drops the first frame of each listed type sent by the receiver (station B). */
function dropFirstFromReceiver(...types: T30FrameType[]) {
  const pending = [...types];
  return (bytes: Uint8Array, from: 'A' | 'B') => {
    const at = from === 'B' ? pending.indexOf(decodeT30Frame(bytes).frame.type) : -1;
    if (at < 0) return 'pass' as const;
    pending.splice(at, 1);
    return 'drop' as const;
  };
}

describe('T30Session: lost responses', () => {
  it('retrains when CFR is lost, and the receiver answers the repeated MPS without storing twice', () => {
    const c = backToBack({
      pages: threePages(),
      receiver: { ecm: false },
      link: { frameHook: dropFirstFromReceiver('CFR', 'MCF') },
    });
    c.loop.run();
    assertDelivered(c);
    assert.equal(eventsOf(c.receiver.events, 'training').length, 2);
    assert.equal(eventsOf(c.receiver.events, 'page-done').length, 3);
  });

  it('answers a repeated PPS again without appending the block twice', () => {
    const c = backToBack({
      pages: [testPageData(41, 70_000), testPageData(42, 500)],
      link: { frameHook: dropFirstFromReceiver('MCF', 'MCF') },
    });
    c.loop.run();
    assertDelivered(c);
    assert.equal(countPps(c), 2 + 1 + 2);
  });
});

function countPps(c: Call): number {
  return c.sender.sentFrames.filter((bytes) => decodeT30Frame(bytes).frame.type === 'PPS').length;
}

describe('T30Session: ECM transfers', () => {
  for (const compression of ['mh', 'mr', 'mmr'] as const) {
    for (const pageCount of [1, 3]) {
      it(`sends ${pageCount} page(s) coded ${compression}`, () => {
        const compressions = new Set<CodingScheme>(compression === 'mh' ? ['mh'] : ['mh', compression]);
        const c = backToBack({ pages: threePages().slice(0, pageCount), sender: { compressions } });
        c.loop.run();
        assertDelivered(c);
        const dcs = c.receiver.negotiated()[0];
        assert.deepEqual([dcs.ecm, dcs.ecmFrameSize, dcs.compression], [true, 256, compression]);
        assert.ok(c.source.requests.every((r) => r.format.ecm && r.format.compression === compression));
      });
    }
  }

  it('answers RNR while the sink is busy; the sender polls with RR', () => {
    const sink = new MemoryDocumentSink();
    sink.busyAnswers = 3;
    const c = backToBack({ pages: threePages(), sink });
    c.loop.run();
    assertDelivered(c);
    assert.equal(c.receiver.sentFrames.filter((bytes) => decodeT30Frame(bytes).frame.type === 'RNR').length, 3);
    assert.equal(c.sender.sentFrames.filter((bytes) => decodeT30Frame(bytes).frame.type === 'RR').length, 3);
  });

  it('splits a long page into blocks of 256 frames of 64 octets', () => {
    const pages = [testPageData(21, 40_000), testPageData(22, 100)];
    const c = backToBack({ pages, receiver: { ecmFrameSize: 64 } });
    c.loop.run();
    assertDelivered(c);
    assert.equal(c.receiver.negotiated()[0].ecmFrameSize, 64);
    // 40000 octets = 625 frames = blocks of 256, 256 and 113.
    assert.deepEqual(
      eventsOf(c.sender.events, 'ecm-block').map((e) => [e.page, e.block, e.frames]),
      [
        [1, 0, 256],
        [1, 1, 256],
        [1, 2, 113],
        [2, 0, 2],
      ],
    );
  });

  it('resends only the frames a PPR asks for', () => {
    const lost = new Set([3, 7, 11]);
    const c = backToBack({
      pages: [testPageData(31, 5000)],
      link: {
        frameHook: (bytes) => {
          const n = fcdNumber(bytes);
          return n !== undefined && lost.delete(n) ? 'drop' : 'pass';
        },
      },
    });
    c.loop.run();
    assertDelivered(c);
    assert.deepEqual(
      eventsOf(c.receiver.events, 'ecm-block').map((e) => [e.block, e.frames, e.missing]),
      [
        [0, 20, 3],
        [0, 20, 0],
      ],
    );
    const fcds = c.sender.sentFrames.map(fcdNumber).filter((n) => n !== undefined);
    assert.deepEqual(fcds.slice(20), [3, 7, 11]);
  });

  for (const seed of [1, 2, 3]) {
    it(`delivers three pages through 5 % loss and duplication (seed ${seed})`, () => {
      const c = backToBack({
        pages: threePages(),
        link: { link: new LossyLink({ seed, dropRate: 0.05, duplicateRate: 0.02 }) },
      });
      c.loop.run();
      assertDelivered(c);
    });
  }

  it('polls: the calling receiver sends DTC and the answering station sends', () => {
    for (const ecm of [false, true]) {
      const c = backToBack({ polling: true, sender: { ecm }, receiver: { ecm } });
      c.loop.run();
      assertDelivered(c);
      assert.deepEqual(eventsOf(c.sender.events, 'remote-capabilities')[0].frame, 'DTC');
      assert.deepEqual(eventsOf(c.sender.events, 'remote-ident'), [
        { type: 'remote-ident', frame: 'CIG', ident: RECEIVER_IDENT },
      ]);
    }
  });
});
