import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanSquareForDbm0, sinePeakForDbm0 } from '../modem/dsp/power-meter.js';
import type { T30Outcome } from '../t30/outcome.js';
import { T30Session } from '../t30/session.js';
import { AudioLink, type AudioPath, PACKET_SAMPLES } from '../testing/audio-link.js';
import { chartSessions, shortChart } from '../testing/chart-call.js';
import { seededRandom } from '../testing/lossy-link.js';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import { gaussianSource } from '../testing/test-channel.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { audioImageModems } from './image-modems.js';

// Whatever the line brings, a call ends with an outcome within T.30's timers and never throws: silence, noise, a
// tone that is not fax, samples of random garbage, or a far end that goes quiet in the middle of a page.

/** T.30 §5.4.3.1: T1 is 35 ± 5 s; a station that hears no fax ends with T1-expired after at most 40 s. */
const T1_LIMIT_MS = 40_000;

type Line = (out: Int16Array, at: number) => void;

const LINES: Record<string, Line> = {
  silence: (out) => out.fill(0),
  'white noise at −30 dBm0, above both carrier thresholds': (() => {
    const gaussian = gaussianSource(3);
    const rms = Math.sqrt(meanSquareForDbm0(-30));
    return (out: Int16Array) => {
      for (let i = 0; i < out.length; i++) out[i] = Math.round(rms * gaussian());
    };
  })(),
  'a 1000 Hz test tone at −10 dBm0': (out, at) => {
    const peak = sinePeakForDbm0(-10);
    for (let i = 0; i < out.length; i++) out[i] = Math.round(peak * Math.sin((2 * Math.PI * 1000 * (at + i)) / 8000));
  },
  'random full-scale samples': (() => {
    const random = seededRandom(9);
    return (out: Int16Array) => {
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 65536) - 32768;
    };
  })(),
};

/** Runs `station` against a line that plays `line` until the session ends and its last signal is out. */
function alone(station: AudioFaxStation, line: Line): number {
  const heard = new Int16Array(PACKET_SAMPLES);
  const out = new Int16Array(PACKET_SAMPLES);
  for (let at = 0; !station.finished && station.now < 120_000; at += PACKET_SAMPLES) {
    line(heard, at);
    station.exchange(heard, out);
  }
  return station.now;
}

function lone(role: 'calling' | 'answering'): AudioFaxStation {
  const session = new T30Session({
    role,
    direction: role === 'calling' ? 'send' : 'receive',
    capabilities: g3Capabilities(audioImageModems()),
    ...(role === 'calling'
      ? { source: new MemoryDocumentSource([testPageData(1, 500)]) }
      : { sink: new MemoryDocumentSink() }),
  });
  return new AudioFaxStation(session, { role });
}

describe('an audio fax station on a line with no fax on it', () => {
  for (const [name, line] of Object.entries(LINES)) {
    for (const role of ['calling', 'answering'] as const) {
      it(`${role}, hearing ${name}: T1 expires and the call ends`, () => {
        const station = lone(role);
        const ended = alone(station, line);
        assert.deepEqual(station.outcome, { code: 'T1-expired' } satisfies T30Outcome);
        assert.ok(station.finished && ended <= T1_LIMIT_MS, `ended at ${ended} ms`);
      });
    }
  }
});

describe('a far end that goes quiet in the middle of a page', () => {
  /** Silence instead of `station`'s signal from 300 ms after the first page started. */
  function vanishing(station: () => AudioFaxStation): AudioPath {
    let gone: number | undefined;
    return {
      carry(samples) {
        const s = station();
        if (gone === undefined && s.events.some((e) => e.type === 'page-started')) gone = s.now + 300;
        return { samples: gone !== undefined && s.now >= gone ? new Int16Array(samples.length) : samples };
      },
    };
  }

  for (const ecm of [false, true]) {
    for (const who of ['sender', 'receiver'] as const) {
      // The receiver that loses its sender waits T2 for a post-page command, then hangs up (the sender hears its DCN);
      // the sender that loses its receiver repeats its post-page command three times, then hangs up (the receiver
      // has the page and hears the DCN).
      const expected: [T30Outcome, T30Outcome] =
        who === 'sender'
          ? [{ code: 'remote-disconnected' }, { code: 'T2-expired' }]
          : [
              { code: 'no-response', command: ecm ? 'PPS' : 'EOP' },
              { code: 'ok', pages: 1 },
            ];
      it(`the ${who} vanishes, ECM ${ecm ? 'on' : 'off'}: ${expected.map((o) => o.code).join(' and ')}`, () => {
        const { sending, receiving } = chartSessions(
          [shortChart(1, 600)],
          { ...audioImageModems(['v27ter']), ecm, widths: new Set(['a4']) },
          audioImageModems(),
        );
        const a = new AudioFaxStation(sending, { role: 'calling' });
        const b = new AudioFaxStation(receiving, { role: 'answering' });
        const path = who === 'sender' ? { aToB: vanishing(() => a) } : { bToA: vanishing(() => b) };
        const link = new AudioLink(a, b, { ...path, limitMs: 200_000 });
        link.run();
        assert.deepEqual([a.outcome, b.outcome], expected);
        assert.ok(a.finished && b.finished && a.now < T1_LIMIT_MS, `finished by ${a.now} ms`);
      });
    }
  }
});
