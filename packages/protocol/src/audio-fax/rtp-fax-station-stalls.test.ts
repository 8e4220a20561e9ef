import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '../image/page.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { type DatagramStation, T38Link } from '../testing/t38-link.js';
import { audioImageModems } from './image-modems.js';
import { RtpFaxStation } from './rtp-fax-station.js';

// An RTP fax station whose process stalls now and then, as a busy event loop does: for `stallMs` in every `everyMs`
// nothing runs, datagrams queue up in the socket, and when the loop comes back they are all taken before the overdue
// 20 ms ticks play (what the server's RTP leg arranges). The station must then have every packet that arrived in time
// for its tick, so a call without ECM, where a lost packet spoils rows, still delivers its pages intact.

/** The receiving side of `station` as a stalling event loop sees it. */
function stalling(station: RtpFaxStation, everyMs: number, stallMs: number): DatagramStation {
  const held: Uint8Array[] = [];
  const stalled = (now: number) => now % everyMs < stallMs;
  const resume = (now: number) => now - (now % everyMs) + stallMs;
  const flush = (now: number) => {
    for (const datagram of held.splice(0)) station.receiveDatagram(datagram, now);
  };
  return {
    start: (now) => station.start(now),
    advance: (now) => {
      flush(now);
      return station.advance(now);
    },
    nextDeadline: () => {
      const deadline = station.nextDeadline();
      if (deadline === undefined) return held.length > 0 ? undefined : deadline;
      return stalled(deadline) ? resume(deadline) : deadline;
    },
    get finished() {
      return station.finished;
    },
    receiveDatagram(datagram, now) {
      if (stalled(now)) {
        held.push(datagram);
        return [];
      }
      flush(now);
      return station.receiveDatagram(datagram, now);
    },
  };
}

describe('RtpFaxStation in a process that stalls', () => {
  for (const stallMs of [60, 120]) {
    it(`V.29 without ECM, the receiver stalled ${stallMs} ms in every 400 ms: the page arrives intact`, () => {
      const charts = [shortChart(2, 120)];
      const { sending, receiving, sink, pages } = chartSessions(
        charts,
        { ...audioImageModems(['v29']), ecm: false, widths: new Set(['a4']) },
        audioImageModems(),
      );
      const selection = { codec: 'PCMU' as const, payloadType: 0, telephoneEventPayloadType: 101 };
      const common = { selection, firstTimestamp: 7 };
      const a = new RtpFaxStation(sending, { ...common, role: 'calling', ssrc: 1, firstSequenceNumber: 9 });
      const b = new RtpFaxStation(receiving, { ...common, role: 'answering', ssrc: 2, firstSequenceNumber: 500 });
      new T38Link<DatagramStation>(a, stalling(b, 400, stallMs), { latencyMs: 20, jitterMs: 5 }).run();
      assert.deepEqual(
        [a.outcome, b.outcome],
        [
          { code: 'ok', pages: 1 },
          { code: 'ok', pages: 1 },
        ],
      );
      assert.equal(sink.decoded.length, 1);
      assert.ok(samePixels(sink.decoded[0] as BilevelPage, pages[0] as BilevelPage));
    });
  }
});
