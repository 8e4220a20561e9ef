import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeV21Burst, V21HdlcReceiver } from '../modem/v21/v21-hdlc.js';
import { V21Modulator } from '../modem/v21/v21-modulator.js';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import { seededRandom } from '../testing/lossy-link.js';
import { JitterBuffer } from './jitter-buffer.js';
import { RtpAudioReceiver } from './rtp-audio-receiver.js';
import { encodeRtpPacket } from './rtp-packet.js';
import { RtpPacketiser, SAMPLES_PER_PACKET } from './rtp-packetiser.js';

// The whole receive path a fax's control channel takes over G.711 RTP: T.30-like V.21 bursts, packetised, carried by
// a link that loses, duplicates and reorders packets from a sender whose clock is off, mixed with datagrams that are
// not audio, then decoded, played out by the jitter buffer and demodulated, with fill-in wherever a sample is missing.

const FRAME = SAMPLES_PER_PACKET;
/** T.30 §5.3.2.1: 75 ms of silence between signals. */
const GAP = 600;

interface Burst {
  readonly frames: Uint8Array[];
  /** Sample range of the burst's carrier in the sender's stream. */
  readonly start: number;
  readonly end: number;
}

/** `count` bursts of two or three frames of T.30-like length, each after a 75 ms gap, and the line samples. */
function senderLine(count: number, seed: number): { samples: Int16Array; bursts: Burst[] } {
  const random = seededRandom(seed);
  const modulator = new V21Modulator();
  const pieces: Int16Array[] = [];
  const bursts: Burst[] = [];
  let length = 0;
  for (let b = 0; b < count; b++) {
    const frames = Array.from({ length: 2 + Math.floor(random() * 2) }, () =>
      Uint8Array.from({ length: 3 + Math.floor(random() * 20) }, () => Math.floor(random() * 256)),
    );
    pieces.push(new Int16Array(GAP));
    length += GAP;
    modulator.send(encodeV21Burst(frames));
    const burst = new Int16Array(Math.ceil((modulator.pendingBits() * 80) / 3) + FRAME);
    const written = modulator.modulate(burst);
    pieces.push(burst.subarray(0, written));
    bursts.push({ frames, start: length, end: length + written });
    length += written;
  }
  pieces.push(new Int16Array(4 * FRAME));
  const samples = new Int16Array(length + 4 * FRAME - ((length + 4 * FRAME) % FRAME));
  let at = 0;
  for (const piece of pieces) {
    samples.set(piece.subarray(0, Math.min(piece.length, samples.length - at)), at);
    at += piece.length;
  }
  return { samples, bursts };
}

interface LinkModel {
  readonly codec: G711Codec;
  readonly seed: number;
  readonly ppm: number;
  readonly jitter: number;
  readonly loss: number;
  readonly duplication: number;
}

interface PathResult {
  readonly frames: { bytes: Uint8Array; fcsOk: boolean }[];
  readonly lostPackets: Set<number>;
  readonly buffer: JitterBuffer;
  readonly receiver: RtpAudioReceiver;
}

function carry(samples: Int16Array, model: LinkModel): PathResult {
  const payloadType = model.codec === 'PCMU' ? 0 : 8;
  const packetiser = new RtpPacketiser({
    selection: { codec: model.codec, payloadType },
    ssrc: 0x1234,
    firstSequenceNumber: 65_000,
    firstTimestamp: 0xffff_f000,
  });
  const datagrams = packetiser.push(samples);
  const random = seededRandom(model.seed);
  const lostPackets = new Set<number>();
  const arrivals: { at: number; datagram: Uint8Array }[] = [];
  datagrams.forEach((datagram, k) => {
    const sentAt = (k * FRAME) / (1 + model.ppm / 1e6);
    if (random() < model.loss) lostPackets.add(k);
    else arrivals.push({ at: sentAt + 200 + random() * model.jitter, datagram });
    if (random() < model.duplication) arrivals.push({ at: sentAt + 200 + random() * model.jitter, datagram });
    // Now and then something that is not this stream's audio: junk, a telephone-event, comfort noise.
    if (k % 97 === 0) arrivals.push({ at: sentAt, datagram: Uint8Array.from({ length: 40 }, () => random() * 256) });
    if (k % 89 === 0) {
      const other = {
        marker: false,
        sequenceNumber: 1,
        timestamp: 0,
        ssrc: 0x1234,
        csrcs: [],
        payload: new Uint8Array(4),
      };
      arrivals.push({ at: sentAt, datagram: encodeRtpPacket({ ...other, payloadType: 101 }) });
      arrivals.push({ at: sentAt, datagram: encodeRtpPacket({ ...other, payloadType: 13 }) });
    }
  });
  arrivals.sort((a, b) => a.at - b.at);

  const receiver = new RtpAudioReceiver({ codec: model.codec, payloadType, telephoneEventPayloadType: 101 });
  const buffer = new JitterBuffer();
  const v21 = new V21HdlcReceiver();
  const frames: { bytes: Uint8Array; fcsOk: boolean }[] = [];
  const out = new Int16Array(FRAME);
  let next = 0;
  for (let now = 0; next < arrivals.length || buffer.bufferedSamples > 0; now += FRAME) {
    for (; next < arrivals.length && arrivals[next].at <= now; next++) {
      const arrival = receiver.receive(arrivals[next].datagram);
      // Stamped with when the datagram came in, as a driver reads its clock on receipt, not with the next tick.
      const at = Math.floor(arrivals[next].at);
      if (arrival.kind === 'audio') buffer.push({ ...arrival.packet, samples: arrival.samples }, at);
    }
    const frame = buffer.pull(now, out);
    // Runs of received samples go to the demodulator; runs of missing ones become its fill-in.
    let run = 0;
    for (let i = 1; i <= FRAME; i++) {
      if (i < FRAME && frame.missing[i] === frame.missing[run]) continue;
      if (frame.missing[run]) v21.fillIn(i - run);
      else frames.push(...v21.receive(out.subarray(run, i)).frames);
      run = i;
    }
  }
  return { frames, lostPackets, buffer, receiver };
}

/** The frames of `bursts` no lost packet touched. */
function untouchedFrames(bursts: Burst[], lostPackets: Set<number>): Uint8Array[] {
  return bursts
    .filter((burst) => {
      for (let k = Math.floor(burst.start / FRAME); k <= Math.floor(burst.end / FRAME); k++) {
        if (lostPackets.has(k)) return false;
      }
      return true;
    })
    .flatMap((burst) => burst.frames);
}

describe('G.711 RTP media path to a V.21 receiver', () => {
  for (const codec of ['PCMU', 'PCMA'] as const) {
    it(`delivers every frame in order over ${codec} with jitter, duplicates, junk and a sender clock ±300 ppm off`, () => {
      const { samples, bursts } = senderLine(200, 1);
      for (const ppm of [300, -300]) {
        const result = carry(samples, { codec, seed: 2, ppm, jitter: 250, loss: 0, duplication: 0.03 });
        assert.deepEqual(
          result.frames.map((frame) => frame.fcsOk),
          bursts.flatMap((burst) => burst.frames).map(() => true),
          `${ppm} ppm`,
        );
        assert.deepEqual(
          result.frames.map((frame) => frame.bytes),
          bursts.flatMap((burst) => burst.frames),
        );
        const stats = result.buffer.stats;
        // Four and a half minutes at 300 ppm drift ~650 samples: made up in the gaps, never inside a burst.
        assert.ok(stats.quietCorrections >= 1, `${ppm} ppm: ${JSON.stringify(stats)}`);
        assert.deepEqual([stats.forcedCorrections, stats.late], [0, 0], `${ppm} ppm`);
        assert.ok(result.receiver.stats.ignored > 0 && result.receiver.stats.malformed > 0);
      }
    });
  }

  it('loses only the frames of bursts a lost packet hit, and keeps the stream in order', () => {
    const { samples, bursts } = senderLine(60, 3);
    const result = carry(samples, { codec: 'PCMA', seed: 4, ppm: 100, jitter: 200, loss: 0.005, duplication: 0.01 });
    assert.ok(result.lostPackets.size >= 10);
    const good = result.frames.filter((frame) => frame.fcsOk).map((frame) => frame.bytes);
    const sent = bursts.flatMap((burst) => burst.frames);
    // Every good frame is one that was sent, in the order sent.
    let position = 0;
    for (const frame of good) {
      while (position < sent.length && !equal(sent[position], frame)) position++;
      assert.ok(position < sent.length, 'a good frame that was never sent, or out of order');
      position++;
    }
    const untouched = untouchedFrames(bursts, result.lostPackets);
    assert.ok(untouched.length > sent.length / 2);
    for (const frame of untouched)
      assert.ok(
        good.some((received) => equal(received, frame)),
        'an untouched frame lost',
      );
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
