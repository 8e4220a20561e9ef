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
function stalling(station: RtpFaxStation, everyMs: number, stallMs: number, offsetMs = 0): DatagramStation {
  const held: Uint8Array[] = [];
  const phase = (now: number) => (now + offsetMs) % everyMs;
  const stalled = (now: number) => phase(now) < stallMs;
  const resume = (now: number) => now - phase(now) + stallMs;
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

/** A V.29 call without ECM, `stallB` and `stallA` (ends' stallings, or none) wrapped round its two stations. */
function stalledCall(
  stallB: (station: RtpFaxStation) => DatagramStation,
  stallA: (station: RtpFaxStation) => DatagramStation = (station) => station,
) {
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
  new T38Link<DatagramStation>(stallA(a), stallB(b), { latencyMs: 20, jitterMs: 5 }).run();
  return { a, b, sink, pages };
}

/** Both ends ended `ok` and the page arrived pixel for pixel. */
function assertDelivered({ a, b, sink, pages }: ReturnType<typeof stalledCall>) {
  assert.deepEqual(
    [a.outcome, b.outcome],
    [
      { code: 'ok', pages: 1 },
      { code: 'ok', pages: 1 },
    ],
  );
  assert.equal(sink.decoded.length, 1);
  assert.ok(samePixels(sink.decoded[0] as BilevelPage, pages[0] as BilevelPage));
}

describe('RtpFaxStation in a process that stalls', () => {
  for (const stallMs of [60, 120]) {
    it(`V.29 without ECM, the receiver stalled ${stallMs} ms in every 400 ms: the page arrives intact`, () => {
      assertDelivered(stalledCall((b) => stalling(b, 400, stallMs)));
    });
  }

  // Both ends in one process (faxd calling faxd, as bench/audio.mjs runs them) stall together for longer than the
  // outage a far end's silence is taken for: the overdue ticks then play one after the other with nothing new to hear,
  // since the far end's overdue packets only come once its own ticks have run. That is a wake with nothing heard, not
  // an outage of 20 ms a tick, and no gap may be made of it.
  it('V.29 without ECM, both ends stalled 400 ms in every 1200 ms: the page arrives intact', () => {
    assertDelivered(
      stalledCall(
        (b) => stalling(b, 1200, 400),
        (a) => stalling(a, 1200, 400),
      ),
    );
  });

  // A stall that brings the end of the DCS and the start of the TCF in one wake: the session must switch the image
  // receiver on before the samples after the DCS are heard, as it does when they come 20 ms at a time, or the TCF's
  // training is missed and the call falls back to a lower rate.
  it('V.29 without ECM, the receiver stalled 200 ms in every second: TCF passes at the top rate', () => {
    const call = stalledCall((b) => stalling(b, 1000, 200, 100));
    assertDelivered(call);
    const trainings = call.b.events.filter((event) => event.type === 'training');
    assert.deepEqual(trainings, [{ type: 'training', bitRate: 9600, ok: true }]);
  });
});
