// A durable sink's pages are confirmed only once stored (T.30 post-message responses): the receiver holds MCF in
// F_STORE_PAGE until the write ends, and answers DCN when it fails, on a manual clock, with and without ECM.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backToBack, type Call, eventsOf } from '../testing/t30-call.js';
import { MemoryDocumentSink, type MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import type { ReceivedPage } from './document-port.js';
import { decodeT30Frame, type T30FrameType } from './frames/t30-frame.js';

/** A sink whose writes take `writeMs` of virtual time each and end as `outcomes` says (true by default). */
class SlowDiskSink extends MemoryDocumentSink {
  readonly durable = true;
  /** Virtual times at which each page's write ended, and whether it succeeded. */
  readonly writesEnded: { page: number; startedAt: number; at: number; ok: boolean }[] = [];
  /** Virtual times at which each write started. */
  readonly writesStarted: number[] = [];
  call?: Call<MemoryDocumentSource, SlowDiskSink>;
  readonly #writeMs: number;
  readonly #outcomes: (boolean | 'never')[];

  constructor(writeMs: number, outcomes: (boolean | 'never')[] = []) {
    super();
    this.#writeMs = writeMs;
    this.#outcomes = outcomes;
  }

  override storePage(page: ReceivedPage): void {
    const { loop, receiver } = this.call!;
    this.writesStarted.push(loop.clock.now);
    const outcome = this.#outcomes[page.page - 1] ?? true;
    if (outcome === 'never') return;
    const startedAt = loop.clock.now;
    const at = startedAt + this.#writeMs;
    loop.clock.schedule(at, () => {
      if (outcome) super.storePage(page);
      this.writesEnded.push({ page: page.page, startedAt, at, ok: outcome });
      loop.inject(receiver, at, { type: 'page-stored', ok: outcome });
    });
  }
}

/** A back-to-back call into a SlowDiskSink, with the time each frame the receiver sent went out. */
function callInto(sink: SlowDiskSink, ecm: boolean, pages = 2) {
  const answers: { type: T30FrameType; at: number }[] = [];
  const call = backToBack<MemoryDocumentSource, SlowDiskSink>({
    pages: Array.from({ length: pages }, (_, i) => testPageData(i + 1, 3000)),
    sink,
    receiver: { ecm },
    link: {
      frameHook: (bytes, from) => {
        if (from === 'B') answers.push({ type: decodeT30Frame(bytes).frame.type, at: call.loop.clock.now });
        return 'pass';
      },
    },
  });
  sink.call = call;
  call.loop.run();
  return { call, answers };
}

function senderConfirmed(call: Call<MemoryDocumentSource, SlowDiskSink>): number {
  return eventsOf(call.sender.events, 'page-done').filter((event) => event.result !== 'RTN').length;
}

for (const ecm of [false, true]) {
  describe(`T30Session with a durable sink (${ecm ? 'ECM' : 'non-ECM'})`, () => {
    it('sends MCF for each page only after its write has ended', () => {
      const sink = new SlowDiskSink(700);
      const { call, answers } = callInto(sink, ecm);
      assert.deepEqual(call.receiver.outcome, { code: 'ok', pages: 2 });
      assert.deepEqual(call.sender.outcome, { code: 'ok', pages: 2 });
      assert.deepEqual(
        sink.stored.map((page) => page.page),
        [1, 2],
      );
      for (const write of sink.writesEnded) {
        const during = answers.filter((answer) => answer.at >= write.startedAt && answer.at < write.at);
        assert.deepEqual(during, [], `the receiver says nothing while page ${write.page} is written`);
        assert.equal(answers.find((answer) => answer.at >= write.at)?.type, 'MCF', `MCF once page ${write.page} is in`);
      }
    });

    it('answers DCN, not MCF, to a page whose write failed; pages stored earlier stay', () => {
      const sink = new SlowDiskSink(200, [true, false]);
      const { call, answers } = callInto(sink, ecm);
      assert.deepEqual(call.receiver.outcome, { code: 'page-not-stored', page: 2 });
      assert.equal(senderConfirmed(call), 1, 'the sender counts page 1 only');
      assert.notEqual(call.sender.outcome?.code, 'ok');
      const failedAt = sink.writesEnded[1]!.at;
      assert.ok(answers.some((answer) => answer.type === 'DCN' && answer.at >= failedAt));
      assert.ok(!answers.some((answer) => answer.type === 'MCF' && answer.at >= failedAt));
      assert.deepEqual(
        sink.stored.map((page) => page.page),
        [1],
      );
    });

    it('gives up with DCN when a write never ends within T2', () => {
      const sink = new SlowDiskSink(200, ['never']);
      const { call, answers } = callInto(sink, ecm, 1);
      assert.deepEqual(call.receiver.outcome, { code: 'page-not-stored', page: 1 });
      assert.equal(senderConfirmed(call), 0);
      const startedAt = sink.writesStarted[0]!;
      assert.deepEqual(
        answers.filter((answer) => answer.at >= startedAt).map((answer) => answer.type),
        ['DCN'],
      );
    });
  });
}
