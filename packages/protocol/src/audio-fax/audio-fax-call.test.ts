import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '../image/page.js';
import type { CodingScheme, Modem, Resolution } from '../t30/frames/dis-dcs-bits.js';
import type { T30Event } from '../t30/front-end.js';
import { AudioLink, type AudioLinkOptions, type AudioPath } from '../testing/audio-link.js';
import { g711Path, rtpPath } from '../testing/audio-paths.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { audioImageModems } from './image-modems.js';

// Whole faxd-to-faxd calls over audio: two audio fax stations joined sample to sample on the sample clock, each
// modulating and demodulating every signal of the call, the receiver decoding the pages it stores.

const CHARTS = [1, 4, 7].map((n) => shortChart(n, 120));

interface CallCase {
  readonly modem: Modem;
  readonly pages: number;
  readonly ecm: boolean;
  readonly resolution: Resolution;
  readonly link?: AudioLinkOptions;
}

function call(c: CallCase) {
  // MR without ECM, MMR with it (T.30 allows MMR only under ECM).
  const compressions = new Set<CodingScheme>(c.ecm ? ['mh', 'mmr'] : ['mh', 'mr']);
  const { sending, receiving, sink, pages } = chartSessions(
    CHARTS.slice(0, c.pages),
    {
      ...audioImageModems([c.modem]),
      compressions,
      ecm: c.ecm,
      resolutions: new Set([c.resolution]),
      widths: new Set(['a4']),
    },
    audioImageModems(),
  );
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
  for (const modem of ['v27ter', 'v29'] as const) {
    for (const ecm of [false, true]) {
      for (const resolution of ['standard', 'fine'] as const) {
        for (const pages of [1, 3]) {
          it(`${modem}, ${pages} page${pages > 1 ? 's' : ''}, ECM ${ecm ? 'on' : 'off'}, ${resolution}`, () => {
            const { link } = assertDelivered({ modem, pages, ecm, resolution });
            // The fastest rate of the modem trained at once: no fallback on a clean line.
            const training = link.b.events.filter((e) => e.type === 'training');
            assert.deepEqual(training, [{ type: 'training', bitRate: modem === 'v29' ? 9600 : 4800, ok: true }]);
          });
        }
      }
    }
  }

  it('falls back from V.29 9600 to 7200 when noise spoils the first TCF', () => {
    // 300 ms of loud noise in the middle of the first TCF (which runs from about 7.0 s to 8.8 s of the call) leaves no
    // second of unbroken zeros, so the receiver answers FTT and the sender trains again one rate lower.
    const random = seededRandom(5);
    let at = 0;
    const noisy: AudioPath = {
      carry(samples) {
        const out = samples.slice();
        for (let i = 0; i < out.length; i++, at++) if (at >= 63_200 && at < 65_600) out[i] = (random() - 0.5) * 20_000;
        return { samples: out };
      },
    };
    const { link } = assertDelivered({ modem: 'v29', pages: 1, ecm: false, resolution: 'fine', link: { aToB: noisy } });
    const training = link.b.events.filter((e) => e.type === 'training');
    assert.deepEqual(training, [
      { type: 'training', bitRate: 9600, ok: false },
      { type: 'training', bitRate: 7200, ok: true },
    ]);
    assert.deepEqual(
      negotiated(link.b.events).map((dcs) => dcs.bitRate),
      [9600, 7200],
    );
  });
});

describe('faxd to faxd with echo: each station hears its own signal back from the far hybrid', () => {
  // At 10 dB of echo loss a V.21 echo is well above the carrier threshold, so a station that listened while it sent
  // would take its own MPS or PPS for the answer.
  for (const [modem, ecm, delay] of [
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
  // modem (the receivers run their fill-in over it); T.30 repeats commands three times and ECM asks for lost frames
  // again. At 1 % loss both ways some calls still run out of repeats, so these seeds are ones whose losses fall on page
  // data and are recovered by ECM (PPR), which the test checks happened.
  for (const [seed, modem, codec] of [
    [14, 'v29', 'PCMU'],
    [17, 'v27ter', 'PCMA'],
  ] as const) {
    it(`RTP ${codec} with 1 % of packets lost and jitter, through the jitter buffer: ${modem}, 3 pages, ECM on`, () => {
      const aToB = rtpPath({ codec, seed, loss: 0.01, jitterSamples: 240 });
      const bToA = rtpPath({ codec, seed: seed + 100, loss: 0.01, jitterSamples: 240 });
      const { link } = assertDelivered({ modem, pages: 3, ecm: true, resolution: 'fine', link: { aToB, bToA } });
      assert.ok(aToB.stats.lost > 0 && bToA.stats.lost > 0, 'packets were lost both ways');
      const repaired = link.b.events.filter((e) => e.type === 'ecm-block' && e.missing > 0);
      assert.ok(repaired.length > 0, 'a loss damaged page data and ECM had it sent again');
    });
  }
});
