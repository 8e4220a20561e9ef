import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeRtpPacket } from '../audio/rtp-packet.js';
import { type BilevelPage, samePixels } from '../image/page.js';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import type { Modem } from '../t30/frames/dis-dcs-bits.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { type DatagramLinkOptions, type DatagramStation, T38Link } from '../testing/t38-link.js';
import { audioImageModems } from './image-modems.js';
import { RtpFaxStation } from './rtp-fax-station.js';

// Whole calls between two RTP fax stations: 20 ms G.711 packets on a datagram link with latency, jitter and loss, on a
// manual clock, each station playing what arrives through its jitter buffer into its modems.

const CHARTS = [1, 4].map((n) => shortChart(n, 120));
const PAYLOAD_TYPES: Record<G711Codec, number> = { PCMU: 0, PCMA: 8 };

/** `station` on the test link, with what reaches it decided by `receive`. */
function receivingThrough(
  station: RtpFaxStation,
  receive: (datagram: Uint8Array, now: number) => Uint8Array[],
): DatagramStation {
  return {
    start: (now) => station.start(now),
    advance: (now) => station.advance(now),
    nextDeadline: () => station.nextDeadline(),
    get finished() {
      return station.finished;
    },
    receiveDatagram: receive,
  };
}

/** Passes every datagram on, and now and then something a line also brings: junk, a telephone-event, another PT. */
function withJunk(station: RtpFaxStation, seed: number): DatagramStation {
  const random = seededRandom(seed);
  let count = 0;
  const other = (payloadType: number) =>
    encodeRtpPacket({
      payloadType,
      marker: false,
      sequenceNumber: 9,
      timestamp: 0,
      ssrc: 7,
      csrcs: [],
      payload: new Uint8Array(160),
    });
  return receivingThrough(station, (datagram, now) => {
    if (++count % 50 === 0) {
      station.receiveDatagram(
        Uint8Array.from({ length: 1 + Math.floor(random() * 200) }, () => random() * 256),
        now,
      );
      station.receiveDatagram(other(101), now);
      station.receiveDatagram(other(18), now);
    }
    return station.receiveDatagram(datagram, now);
  });
}

function rtpCall(codec: G711Codec, modem: Modem, ecm: boolean, link: DatagramLinkOptions, junk = false) {
  const { sending, receiving, sink, pages } = chartSessions(
    CHARTS,
    { ...audioImageModems([modem]), ecm, widths: new Set(['a4']) },
    audioImageModems(),
  );
  const selection = { codec, payloadType: PAYLOAD_TYPES[codec], telephoneEventPayloadType: 101 };
  const common = { selection, firstTimestamp: 1000 };
  const a = new RtpFaxStation(sending, { ...common, role: 'calling', ssrc: 0xa, firstSequenceNumber: 65_000 });
  const b = new RtpFaxStation(receiving, { ...common, role: 'answering', ssrc: 0xb, firstSequenceNumber: 1 });
  const run = new T38Link<DatagramStation>(junk ? withJunk(a, 1) : a, junk ? withJunk(b, 2) : b, link);
  run.run();
  assert.deepEqual(
    [a.outcome, b.outcome],
    [
      { code: 'ok', pages: 2 },
      { code: 'ok', pages: 2 },
    ],
  );
  assert.equal(sink.decoded.length, 2);
  for (const [i, page] of sink.decoded.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
  return { a, b, link: run };
}

/** Takes datagrams until `station` has started receiving a page, then none: its far end has stopped sending. */
function goingDeaf(station: RtpFaxStation): DatagramStation {
  return receivingThrough(station, (datagram, now) =>
    station.events.some((e) => e.type === 'page-started')
      ? station.advance(now)
      : station.receiveDatagram(datagram, now),
  );
}

describe('RtpFaxStation: faxd to faxd over G.711 RTP on a datagram link', () => {
  it('PCMU, V.29, ECM off, 30 ms each way with 30 ms of jitter (packets overtake each other)', () => {
    const { link } = rtpCall('PCMU', 'v29', false, { latencyMs: 30, jitterMs: 30 });
    // A packet every 20 ms from each station for the whole call, none held back and none sent twice.
    for (const from of ['a', 'b'] as const) {
      const times = link.wire.filter((w) => w.from === from).map((w) => w.at);
      assert.deepEqual(
        times,
        times.map((_, k) => (times[0] ?? 0) + 20 * k),
      );
    }
  });

  it('PCMA, V.27ter, ECM on, with junk, telephone-events and other payload types among the packets', () => {
    const { a, b } = rtpCall('PCMA', 'v27ter', true, { latencyMs: 20, jitterMs: 10 }, true);
    assert.ok(a.ignoredDatagrams > 0 && b.ignoredDatagrams > 0);
  });

  it('the sender’s packets stop in the middle of an ECM page: the receiver hears the outage and gives up after T2', () => {
    const { sending, receiving } = chartSessions(CHARTS, {
      ...audioImageModems(['v29']),
      ecm: true,
      widths: new Set(['a4']),
    });
    const selection = { codec: 'PCMU' as const, payloadType: 0 };
    const common = { selection, firstTimestamp: 0, firstSequenceNumber: 0 };
    const a = new RtpFaxStation(sending, { ...common, role: 'calling', ssrc: 1 });
    const b = new RtpFaxStation(receiving, { ...common, role: 'answering', ssrc: 2 });
    new T38Link<DatagramStation>(a, goingDeaf(b), { latencyMs: 20, limitMs: 120_000 }).run();
    // The sender, unheard, repeats PPS three times and gives up; the receiver waits T2 after the lost page.
    assert.deepEqual([a.outcome, b.outcome], [{ code: 'no-response', command: 'PPS' }, { code: 'T2-expired' }]);
    assert.ok(a.finished && b.finished);
  });

  it('PCMU, V.29, ECM on, 1 % of packets lost and duplicates', () => {
    const { link } = rtpCall('PCMU', 'v29', true, {
      seed: 4,
      dropRate: 0.01,
      duplicateRate: 0.01,
      latencyMs: 40,
      jitterMs: 20,
    });
    assert.ok(link.stats.dropped > 0 && link.stats.duplicated > 0);
  });
});
