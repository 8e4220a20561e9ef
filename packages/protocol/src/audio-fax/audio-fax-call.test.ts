import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '../image/page.js';
import type { CodingScheme, Modem, Resolution } from '../t30/frames/dis-dcs-bits.js';
import type { T30Event } from '../t30/front-end.js';
import type { T30Session } from '../t30/session.js';
import { AudioLink, type AudioLinkOptions, type AudioPath } from '../testing/audio-link.js';
import { g711Path, rtpPath } from '../testing/audio-paths.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { losingFrame } from '../testing/t30-tamper.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { audioImageModems } from './image-modems.js';

// Whole faxd-to-faxd calls over audio: two audio fax stations joined sample to sample on the sample clock, each
// modulating and demodulating every signal of the call, the receiver decoding the pages it stores.

const CHARTS = [1, 4, 7].map((n) => shortChart(n, 120));
/** Longer pages for the lossy calls, so that some losses fall on page data. */
const LONGER_CHARTS = [1, 4, 7].map((n) => shortChart(n, 200));

/** Each modem's fastest rate, which a clean line trains at first time. */
const FASTEST: Record<Modem, number> = { v17: 14400, v29: 9600, v27ter: 4800 };

interface CallCase {
  readonly modem: Modem;
  readonly pages: number;
  readonly ecm: boolean;
  readonly resolution: Resolution;
  readonly link?: AudioLinkOptions;
  /** The pages to send from (CHARTS unless given). */
  readonly charts?: readonly BilevelPage[];
  /** Changes the sending session before the call (to spoil what it sends). */
  readonly tamper?: (sending: T30Session) => void;
}

function call(c: CallCase) {
  // MR without ECM, MMR with it (T.30 allows MMR only under ECM).
  const compressions = new Set<CodingScheme>(c.ecm ? ['mh', 'mmr'] : ['mh', 'mr']);
  const { sending, receiving, sink, pages } = chartSessions(
    (c.charts ?? CHARTS).slice(0, c.pages),
    {
      ...audioImageModems([c.modem]),
      compressions,
      ecm: c.ecm,
      resolutions: new Set([c.resolution]),
      widths: new Set(['a4']),
    },
    audioImageModems(),
  );
  c.tamper?.(sending);
  const link = new AudioLink(
    new AudioFaxStation(sending, { role: 'calling' }),
    new AudioFaxStation(receiving, { role: 'answering' }),
    c.link,
  );
  link.run();
  return { link, sink, pages };
}

function negotiated(events: readonly T30Event[]) {
  return events.flatMap((e) => (e.type === 'negotiated' ? [e.dcs] : []));
}

function assertDelivered(c: CallCase) {
  const result = call(c);
  const { link, sink, pages } = result;
  assert.deepEqual(link.a.outcome, { code: 'ok', pages: c.pages });
  assert.deepEqual(link.b.outcome, { code: 'ok', pages: c.pages });
  const dcs = negotiated(link.b.events).at(-1);
  assert.deepEqual([dcs?.modem, dcs?.ecm, dcs?.resolution], [c.modem, c.ecm, c.resolution]);
  assert.equal(sink.decoded.length, c.pages);
  for (const [i, page] of sink.decoded.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
  return result;
}

describe('faxd to faxd over audio, sample to sample', () => {
  for (const modem of ['v27ter', 'v29', 'v17'] as const) {
    for (const ecm of [false, true]) {
      for (const resolution of ['standard', 'fine'] as const) {
        for (const pages of [1, 3]) {
          it(`${modem}, ${pages} page${pages > 1 ? 's' : ''}, ECM ${ecm ? 'on' : 'off'}, ${resolution}`, () => {
            const { link } = assertDelivered({ modem, pages, ecm, resolution });
            // The fastest rate of the modem trained at once: no fallback on a clean line.
            const training = link.b.events.filter((e) => e.type === 'training');
            assert.deepEqual(training, [{ type: 'training', bitRate: FASTEST[modem], ok: true }]);
          });
        }
      }
    }
  }

  // Loud noise for 300 ms in the middle of the first TCF's zeros leaves no second of them unbroken, so the receiver
  // answers FTT and the sender trains again one rate lower. The TCF runs from about 7.0 s to 8.8 s at V.29 (253 ms of
  // training) and to 9.9 s at V.17 (1393 ms).
  for (const [modem, noiseFrom, lower] of [
    ['v29', 63_200, 7200],
    ['v17', 71_200, 12000],
  ] as const) {
    it(`falls back from ${modem} at ${FASTEST[modem]} to ${lower} when noise spoils the first TCF`, () => {
      const random = seededRandom(5);
      let at = 0;
      const noisy: AudioPath = {
        carry(samples) {
          const out = samples.slice();
          for (let i = 0; i < out.length; i++, at++) {
            if (at >= noiseFrom && at < noiseFrom + 2400) out[i] = (random() - 0.5) * 20_000;
          }
          return { samples: out };
        },
      };
      const { link } = assertDelivered({ modem, pages: 1, ecm: false, resolution: 'fine', link: { aToB: noisy } });
      const training = link.b.events.filter((e) => e.type === 'training');
      assert.deepEqual(training, [
        { type: 'training', bitRate: FASTEST[modem], ok: false },
        { type: 'training', bitRate: lower, ok: true },
      ]);
      assert.deepEqual(
        negotiated(link.b.events).map((dcs) => dcs.bitRate),
        [FASTEST[modem], lower],
      );
    });
  }
});

describe('faxd to faxd with echo: each station hears its own signal back from the far hybrid', () => {
  // At 10 dB of echo loss a V.21 echo is well above the carrier threshold, so a station that listened while it sent
  // would take its own MPS or PPS for the answer.
  for (const [modem, ecm, delay] of [
    ['v17', false, 80],
    ['v17', true, 160],
    ['v29', true, 80],
    ['v29', false, 160],
    ['v27ter', true, 160],
    ['v27ter', false, 80],
  ] as const) {
    it(`${modem}, ECM ${ecm ? 'on' : 'off'}, echo ${delay / 8} ms late at −10 dB`, () => {
      assertDelivered({ modem, pages: 3, ecm, resolution: 'fine', link: { echo: { delay, lossDb: 10 } } });
    });
  }
});

describe('faxd to faxd over G.711', () => {
  for (const codec of ['PCMU', 'PCMA'] as const) {
    it(`${codec} both ways: V.29, 3 pages, ECM off, fine`, () => {
      const link = { aToB: g711Path(codec), bToA: g711Path(codec) };
      assertDelivered({ modem: 'v29', pages: 3, ecm: false, resolution: 'fine', link });
    });
  }

  // A lost packet costs the V.21 frame, the training or the stretch of image data it falls in, as it would with any
  // modem (the receivers run their fill-in over it); T.30 repeats a command three times and ECM asks for lost frames
  // again. At 1 % loss both ways a call still runs out of repeats now and then (a PPR or its PPS lost three times), so
  // each modem runs six calls: every one must end with an outcome, at least half must deliver every page, and at least
  // one of those after ECM has repaired what the losses damaged.
  for (const [modem, codec] of [
    ['v17', 'PCMU'],
    ['v29', 'PCMA'],
    ['v27ter', 'PCMU'],
  ] as const) {
    it(`RTP ${codec} with 1 % of packets lost and jitter, through the jitter buffer: ${modem}, 3 pages, ECM on`, () => {
      const repaired: number[] = [];
      const delivered: number[] = [];
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const aToB = rtpPath({ codec, seed, loss: 0.01, jitterSamples: 240 });
        const bToA = rtpPath({ codec, seed: seed + 100, loss: 0.01, jitterSamples: 240 });
        const link = { aToB, bToA };
        const result = call({ modem, pages: 3, ecm: true, resolution: 'fine', link, charts: LONGER_CHARTS });
        const { sink, pages } = result;
        const { a, b } = result.link;
        assert.ok(a.finished && b.finished, `seed ${seed}: both calls ended`);
        assert.ok(aToB.stats.lost > 0 && bToA.stats.lost > 0, 'packets were lost both ways');
        const whole =
          a.outcome?.code === 'ok' &&
          b.outcome?.code === 'ok' &&
          sink.decoded.length === 3 &&
          sink.decoded.every((page, i) => samePixels(page, pages[i] as BilevelPage));
        const repairs = b.events.filter((e) => e.type === 'ecm-block' && e.missing > 0).length;
        if (whole) delivered.push(seed);
        if (whole && repairs > 0) repaired.push(seed);
      }
      assert.ok(delivered.length >= 3, `calls that delivered every page: seeds ${delivered}`);
      assert.ok(repaired.length > 0, 'a call delivered every page after ECM repaired losses');
    });
  }
});

describe('faxd to faxd over audio, an ECM block that cannot be completed', () => {
  it('PPR four times, CTC to a slower modem twice, then EOR answered ERR; the sender hangs up, as SpanDSP’s does', () => {
    const { link, sink } = call({
      modem: 'v17',
      pages: 1,
      ecm: true,
      resolution: 'standard',
      tamper: (sending) => losingFrame(sending, 0),
    });
    const { a, b } = link;
    assert.deepEqual(a.outcome, { code: 'ecm-failure', page: 1 });
    assert.deepEqual(b.outcome, { code: 'ecm-failure', page: 1 });
    // Both ends moved down the V.17 rates together with each CTC, on the line's real modems.
    const ctc = (events: readonly T30Event[]) =>
      events.flatMap((e) => (e.type === 'retrain' && e.reason === 'CTC' ? [e.bitRate] : []));
    assert.deepEqual(ctc(a.events), [12000, 9600]);
    assert.deepEqual(ctc(b.events), [12000, 9600]);
    // Three rounds of four PPRs; after the last, EOR: the one page had no other block, so nothing is kept.
    const asked = a.events.filter((e) => e.type === 'ecm-block' && e.missing > 0).length;
    assert.equal(asked, 12);
    assert.equal(sink.decoded.length, 0);
  });
});
