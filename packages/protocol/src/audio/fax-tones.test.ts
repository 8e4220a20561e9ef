import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sinePeakForDbm0 } from '../modem/dsp/power-meter.js';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import { SPANDSP_CONNECT_TONE, spandspToneReceive, spandspToneTransmit } from '../testing/spandsp-g711-tones.js';
import { gaussianSource, impairSignal } from '../testing/test-channel.js';
import { type FaxTone, FaxToneDetector, type FaxToneEvent } from './fax-tone-detector.js';
import { FaxToneGenerator } from './fax-tone-generator.js';
import { decodeG711, encodeG711 } from './g711.js';

const SECOND = 8000;
const LAWS: readonly G711Codec[] = ['PCMU', 'PCMA'];

function generate(tone: FaxTone, count: number, options = {}): Int16Array {
  const generator = new FaxToneGenerator(tone, options);
  const samples = new Int16Array(count);
  // 160 at a time, as the front end pulls a packet's worth per 20 ms.
  for (let at = 0; at < count; at += 160) generator.generate(samples.subarray(at, Math.min(count, at + 160)));
  return samples;
}

const throughG711 = (codec: G711Codec, samples: Int16Array) => decodeG711(codec, encodeG711(codec, samples));

function detect(tone: FaxTone, samples: Int16Array, chunk = 160): FaxToneEvent[] {
  const detector = new FaxToneDetector(tone);
  const events: FaxToneEvent[] = [];
  for (let at = 0; at < samples.length; at += chunk) events.push(...detector.receive(samples.subarray(at, at + chunk)));
  return events;
}

/**
 * [start, end) of each run of sound, rounded to 8 samples: a sine starts on a zero crossing, so its first sample is 0,
 * and it passes near 0 now and then, so a run ends only after 8 quiet samples in a row. Quiet is |x| ≤ 8, A-law's
 * smallest step, which is what its silence decodes to.
 */
function bursts(samples: Int16Array): [number, number][] {
  const runs: [number, number][] = [];
  const round = (n: number) => Math.round(n / 8) * 8;
  let start = -1;
  for (let i = 0; i <= samples.length; i++) {
    const on = i < samples.length && Math.abs(samples[i]) > 8;
    if (on && start < 0) start = i;
    if (!on && start >= 0 && (i === samples.length || samples.subarray(i, i + 8).every((x) => Math.abs(x) <= 8))) {
      runs.push([round(start), round(i)]);
      start = -1;
    }
  }
  return runs;
}

/** Sign changes: twice the frequency over a second, give or take one at the ends. */
function zeroCrossings(samples: Int16Array): number {
  let count = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) count++;
  return count;
}

function sines(parts: readonly (readonly [hz: number, dbm0: number])[], count: number): Int16Array {
  return Int16Array.from({ length: count }, (_, n) =>
    Math.round(
      parts.reduce((sum, [hz, dbm0]) => sum + sinePeakForDbm0(dbm0) * Math.sin((2 * Math.PI * hz * n) / SECOND), 0),
    ),
  );
}

/**
 * A voiced, speech-like signal: harmonics of a pitch gliding between 90 and 210 Hz, shaped by vowel formants that
 * change every 180 ms, with syllables at 4 Hz — loud, with strong energy at 1100 and 2100 Hz now and then, but never a
 * steady tone.
 */
function speechLike(count: number): Int16Array {
  const vowels = [
    [730, 1090, 2440],
    [270, 2290, 3010],
    [300, 870, 2240],
    [530, 1840, 2480],
    [660, 1720, 2410],
  ];
  const out = new Int16Array(count);
  let phase = 0;
  for (let n = 0; n < count; n++) {
    const t = n / SECOND;
    const pitch = 150 + 60 * Math.sin(2 * Math.PI * 0.7 * t) * Math.cos(2 * Math.PI * 0.23 * t);
    phase += (2 * Math.PI * pitch) / SECOND;
    const formants = vowels[Math.floor(t / 0.18) % vowels.length];
    let value = 0;
    for (let h = 1; h * pitch < 3400; h++) {
      const f = h * pitch;
      const weight = formants.reduce((sum, formant) => sum + 1 / (1 + ((f - formant) / 90) ** 2), 0);
      value += weight * Math.sin(h * phase);
    }
    const syllable = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    out[n] = Math.round(1800 * syllable * value);
  }
  return out;
}

describe('FaxToneGenerator', () => {
  it('sends CNG as 0.5 s bursts of 1100 Hz every 3.5 s at −11 dBm0', () => {
    const samples = generate('cng', 8 * SECOND);
    assert.deepEqual(bursts(samples), [
      [0, 4000],
      [28_000, 32_000],
      [56_000, 60_000],
    ]);
    assert.equal(Math.max(...samples), Math.round(sinePeakForDbm0(-11)));
    assert.ok(Math.abs(zeroCrossings(samples.subarray(0, 4000)) - 1100) <= 1);
  });

  it('sends CED as 2100 Hz for 2.6 s after 0.2 s of silence, then stays silent', () => {
    const generator = new FaxToneGenerator('ced');
    const samples = new Int16Array(4 * SECOND);
    generator.generate(samples.subarray(0, 22_000));
    assert.equal(generator.done, false);
    generator.generate(samples.subarray(22_000));
    assert.equal(generator.done, true);
    assert.deepEqual(bursts(samples), [[1600, 22_400]]);
    assert.ok(Math.abs(zeroCrossings(samples.subarray(1600, 1600 + SECOND)) - 2 * 2100) <= 1);
    assert.deepEqual(bursts(generate('ced', 5 * SECOND, { cedSamples: 4 * SECOND })), [[1600, 33_600]]);
    assert.throws(() => new FaxToneGenerator('ced', { cedSamples: 2 * SECOND }), RangeError);
  });
});

describe('fax tones against SpanDSP', () => {
  for (const codec of LAWS) {
    it(`SpanDSP's detector hears faxd's CNG and CED through ${codec}`, async () => {
      const cng = await spandspToneReceive('cng', throughG711(codec, generate('cng', 8 * SECOND)));
      const cngCodes = cng.map((report) => report.code);
      assert.deepEqual(
        cngCodes,
        [1, 0, 1, 0, 1, 0].map((code) => code * SPANDSP_CONNECT_TONE.cng),
      );
      assert.ok(cng[0].sample <= 4000 && cng[2].sample >= 28_000 && cng[2].sample <= 32_000);
      assert.ok(
        cng.every((report) => report.code === 0 || Math.abs(report.level + 11) <= 1),
        JSON.stringify(cng),
      );
      const ced = await spandspToneReceive('ced', throughG711(codec, generate('ced', 4 * SECOND)));
      assert.deepEqual(
        ced.map((report) => report.code),
        [SPANDSP_CONNECT_TONE.ans, SPANDSP_CONNECT_TONE.none],
      );
      assert.ok(ced[0].sample > 1600 && ced[0].sample < 1600 + SECOND, JSON.stringify(ced));
    });

    it(`faxd's detector hears SpanDSP's CNG and CED through ${codec}, from start to end`, async () => {
      const cng = throughG711(codec, await spandspToneTransmit('cng', 8 * SECOND));
      assert.deepEqual(bursts(cng), [
        [0, 4000],
        [28_000, 32_000],
        [56_000, 60_000],
      ]);
      assert.deepEqual(detect('cng', cng), [
        { tone: 'cng', kind: 'on', at: 3200 },
        { tone: 'cng', kind: 'off', at: 4000 },
        { tone: 'cng', kind: 'on', at: 31_200 },
        { tone: 'cng', kind: 'off', at: 32_000 },
        { tone: 'cng', kind: 'on', at: 59_200 },
        { tone: 'cng', kind: 'off', at: 60_000 },
      ]);
      const ced = throughG711(codec, await spandspToneTransmit('ced', 4 * SECOND));
      assert.deepEqual(bursts(ced), [[1600, 22_400]]);
      assert.deepEqual(detect('ced', ced), [
        { tone: 'ced', kind: 'on', at: 1600 + 4480 },
        { tone: 'ced', kind: 'off', at: 22_400 },
      ]);
    });
  }
});

describe('FaxToneDetector', () => {
  it('reports the same events whatever the chunk size', () => {
    const samples = generate('cng', 5 * SECOND);
    const expected = detect('cng', samples, samples.length);
    assert.equal(expected.length, 4);
    for (const chunk of [1, 7, 80, 160, 333]) assert.deepEqual(detect('cng', samples, chunk), expected, `${chunk}`);
  });

  it('hears the tones at ±38 Hz (CNG) and ±15 Hz (CED) off, down to −43 dBm0, and at 20 dB SNR', () => {
    for (const hz of [1062, 1100, 1138]) assert.equal(detect('cng', sines([[hz, -11]], SECOND)).length, 1, `${hz} Hz`);
    for (const hz of [2085, 2100, 2115]) assert.equal(detect('ced', sines([[hz, -11]], SECOND)).length, 1, `${hz} Hz`);
    assert.equal(detect('cng', sines([[1100, -42]], SECOND)).length, 1);
    assert.equal(detect('ced', sines([[2100, -42]], SECOND)).length, 1);
    for (const tone of ['cng', 'ced'] as const) {
      const noisy = impairSignal(generate(tone, 4 * SECOND), { snrDb: 20, seed: 4 });
      const bursts = tone === 'cng' ? 2 : 1;
      assert.equal(detect(tone, noisy).filter((event) => event.kind === 'on').length, bursts, tone);
    }
  });

  it("takes V.25's ANS with phase reversals and V.8's ANSam with them for CED, as V.34 fax machines answer", () => {
    const peak = sinePeakForDbm0(-12);
    const answer = (am: number) =>
      Int16Array.from({ length: 4 * SECOND }, (_, n) => {
        if (n >= 3.3 * SECOND) return 0;
        // 180° every 450 ms; ANSam adds 15 Hz amplitude modulation of ±20 %.
        const reversals = Math.floor(n / (0.45 * SECOND));
        const envelope = 1 + am * Math.sin((2 * Math.PI * 15 * n) / SECOND);
        return Math.round(peak * envelope * Math.sin((2 * Math.PI * 2100 * n) / SECOND + Math.PI * reversals));
      });
    for (const am of [0, 0.2]) {
      const events = detect('ced', throughG711('PCMU', answer(am)));
      assert.deepEqual(
        events.map((event) => event.kind),
        ['on', 'off'],
        `AM ${am}`,
      );
      assert.equal(events[1].at, 3.3 * SECOND);
    }
  });

  it('refuses other tones, tones too far off or too quiet, short bursts, speech, noise and silence', () => {
    const noise = gaussianSource(9);
    const refused: Record<string, Int16Array> = {
      '1000 Hz': sines([[1000, -11]], 4 * SECOND),
      '2000 Hz': sines([[2000, -11]], 4 * SECOND),
      '1150 Hz': sines([[1150, -11]], 4 * SECOND),
      '2125 Hz': sines([[2125, -11]], 4 * SECOND),
      'dial tone 350 + 440 Hz': sines(
        [
          [350, -13],
          [440, -13],
        ],
        4 * SECOND,
      ),
      'V.21 channel 2 marks and spaces': sines([[1650, -14]], 2 * SECOND),
      '1100 Hz + 2100 Hz together': sines(
        [
          [1100, -14],
          [2100, -14],
        ],
        4 * SECOND,
      ),
      '−45 dBm0': sines([[1100, -45]], 4 * SECOND),
      '0.3 s burst': sines([[1100, -11]], 0.3 * SECOND),
      speech: speechLike(6 * SECOND),
      'white noise at −20 dBm0': Int16Array.from({ length: 4 * SECOND }, () =>
        Math.round(noise() * Math.sqrt((32767 * 32767) / 2) * 10 ** ((-20 - 3.14) / 20)),
      ),
      silence: new Int16Array(4 * SECOND),
    };
    for (const [name, samples] of Object.entries(refused)) {
      for (const tone of ['cng', 'ced'] as const) {
        for (const codec of LAWS) assert.deepEqual(detect(tone, throughG711(codec, samples)), [], `${tone}: ${name}`);
      }
    }
  });

  it('is not fooled by speech that SpanDSP does not take for a tone either', async () => {
    const speech = speechLike(6 * SECOND);
    // The signal really is loud speech-band audio: SpanDSP's detector stays quiet on it too.
    assert.deepEqual(await spandspToneReceive('cng', speech), []);
    assert.deepEqual(await spandspToneReceive('ced', speech), []);
  });
});
