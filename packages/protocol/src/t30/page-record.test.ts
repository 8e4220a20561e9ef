// A durable source's confirmed pages are recorded before the sender goes on (T.30 phase D): the sender holds its next
// page, or the DCN after the last, in II_RECORD until the caller reports the record ended, or T4 has run out, on a
// manual clock, with and without ECM.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backToBack, type Call } from '../testing/t30-call.js';
import { MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import { decodeT30Frame } from './frames/t30-frame.js';
import { T30_TIMERS } from './timers.js';

class RecordedSource extends MemoryDocumentSource {
  readonly durable = true;
}

/** What the sender did, and when: each page begun, each page confirmed, its DCN. */
interface SenderStep {
  readonly what: 'page-started' | 'page-done' | 'DCN';
  readonly page?: number;
  readonly at: number;
}

/** A call from a RecordedSource whose records take `recordMs` of virtual time each (or never end). */
function callRecording(recordMs: number | 'never', ecm: boolean, pages: number) {
  const steps: SenderStep[] = [];
  const records: { page: number; startedAt: number; endsAt: number | undefined }[] = [];
  const call: Call<RecordedSource> = backToBack<RecordedSource>({
    source: new RecordedSource(Array.from({ length: pages }, (_, i) => testPageData(i + 1, 3000))),
    receiver: { ecm },
    link: {
      frameHook: (bytes, from) => {
        if (from === 'A' && decodeT30Frame(bytes).frame.type === 'DCN') steps.push({ what: 'DCN', at: now() });
        return 'pass';
      },
      eventHook: (event, station) => {
        if (station !== 'A' || (event.type !== 'page-started' && event.type !== 'page-done')) return;
        steps.push({ what: event.type, page: event.page, at: now() });
        if (event.type !== 'page-done' || event.result === 'RTN') return;
        const endsAt = recordMs === 'never' ? undefined : now() + recordMs;
        records.push({ page: event.page, startedAt: now(), endsAt });
        if (endsAt !== undefined) call.loop.inject(call.sender, endsAt, { type: 'page-recorded' });
      },
    },
  });
  const now = () => call.loop.clock.now;
  call.loop.run();
  return { call, steps, records };
}

for (const ecm of [false, true]) {
  describe(`T30Session sending from a durable source (${ecm ? 'ECM' : 'non-ECM'})`, () => {
    it('begins the next page, and sends DCN after the last, only once the page before is recorded', () => {
      const { call, steps, records } = callRecording(700, ecm, 2);
      assert.deepEqual(call.sender.outcome, { code: 'ok', pages: 2 });
      assert.deepEqual(call.receiver.outcome, { code: 'ok', pages: 2 });
      assert.deepEqual(
        records.map((record) => record.page),
        [1, 2],
      );
      for (const record of records) {
        const next = steps.find((step) => step.at > record.startedAt && step.what !== 'page-done');
        assert.ok(next, `the sender goes on after page ${record.page}`);
        assert.ok(next.at >= (record.endsAt as number), `nothing before page ${record.page} is recorded`);
        assert.equal(next.what, record.page === 1 ? 'page-started' : 'DCN');
      }
    });

    it('goes on after T4 when a record never ends: the page is the receiver’s all the same', () => {
      const { call, steps, records } = callRecording('never', ecm, 1);
      assert.deepEqual(call.sender.outcome, { code: 'ok', pages: 1 });
      assert.deepEqual(call.receiver.outcome, { code: 'ok', pages: 1 });
      const dcn = steps.find((step) => step.what === 'DCN');
      assert.equal(dcn?.at, (records[0]?.startedAt as number) + T30_TIMERS.T4);
    });
  });
}
