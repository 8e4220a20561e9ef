import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BilevelPage, samePixels } from '../image/page.js';
import type { T30Event } from '../t30/front-end.js';
import { AudioLink, type AudioPath } from '../testing/audio-link.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { audioImageModems } from './image-modems.js';

// Without ECM, a post-page command that follows an image carrier the receiver could not train on ends a page that was
// sent but not received: the receiver answers RTN, the sender retrains and sends the page again, and the page is
// stored once. Taking the command for a repeat of the last one (whose MCF was lost) would confirm a page never stored.

/** The training of the carrier that follows the sender's first `page-started` for `page` drowns in loud noise. */
function noiseOverTrainingOf(page: number) {
  const random = seededRandom(11);
  let noiseLeft = 0;
  let armed = false;
  const path: AudioPath = {
    carry(samples) {
      const out = samples.slice();
      for (let i = 0; i < out.length && noiseLeft > 0; i++, noiseLeft--) out[i] = (random() - 0.5) * 20_000;
      return { samples: out };
    },
  };
  // 75 ms gap, then V.27ter's 4800 bit/s training (about 0.7 s): 1.2 s of noise leaves nothing to train on.
  const onEvent = (event: T30Event) => {
    if (event.type !== 'page-started' || event.page !== page || armed) return;
    armed = true;
    noiseLeft = 9600;
  };
  return { path, onEvent };
}

function pageResults(events: readonly T30Event[]) {
  return events.flatMap((e) => (e.type === 'page-done' ? [`${e.page} ${e.result}`] : []));
}

describe('a page whose image carrier fails to train at the receiver, without ECM', () => {
  it('is answered RTN, sent again after a new training, and stored once', () => {
    const pages = [1, 4, 7].map((n) => shortChart(n, 120));
    const capabilities = { ...audioImageModems(['v27ter']), ecm: false, widths: new Set(['a4'] as const) };
    const { sending, receiving, sink } = chartSessions(pages, capabilities, audioImageModems());
    const noise = noiseOverTrainingOf(2);
    const sender = new AudioFaxStation(sending, { role: 'calling', onEvent: noise.onEvent });
    const link = new AudioLink(sender, new AudioFaxStation(receiving, { role: 'answering' }), { aToB: noise.path });
    link.run();
    // Page 2's MPS is the same frame as page 1's: only the carrier heard between them tells it is no repeat.
    const results = ['1 MCF', '2 RTN', '2 MCF', '3 MCF'];
    assert.deepEqual(pageResults(link.a.events), results);
    assert.deepEqual(pageResults(link.b.events), results);
    assert.deepEqual(link.a.outcome, { code: 'ok', pages: 3 });
    assert.deepEqual(link.b.outcome, { code: 'ok', pages: 3 });
    assert.equal(sink.stored.length, 3);
    for (const [i, page] of sink.decoded.entries())
      assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1}`);
    // The page went again after a new DCS and TCF.
    const trainings = link.b.events.filter((e) => e.type === 'training');
    assert.equal(trainings.length, 2);
  });
});
