// Test support: what a G.711 line does to audio between two stations, as AudioLink paths: the codec's round trip, and
// RTP packets that a link loses and delays on their way to a receiver and its jitter buffer.

import { decodeG711, encodeG711 } from '../audio/g711.js';
import { JitterBuffer } from '../audio/jitter-buffer.js';
import { RtpAudioReceiver } from '../audio/rtp-audio-receiver.js';
import { RtpPacketiser } from '../audio/rtp-packetiser.js';
import type { G711Codec } from '../sdp/audio-offer-answer.js';
import type { AudioPath } from './audio-link.js';
import { seededRandom } from './lossy-link.js';

/** Each sample coded and decoded with `codec`, as every G.711 hop does. */
export function g711Path(codec: G711Codec): AudioPath {
  return { carry: (samples) => ({ samples: decodeG711(codec, encodeG711(codec, samples)) }) };
}

export interface RtpPathOptions {
  readonly codec: G711Codec;
  readonly seed: number;
  /** Share of packets lost. */
  readonly loss: number;
  /** Each packet arrives up to this many samples late on top of a fixed 20 ms (so packets overtake each other). */
  readonly jitterSamples: number;
}

/** Statistics of an RTP path, for a test to check the impairment really happened. */
export interface RtpPathStats {
  sent: number;
  lost: number;
}

/**
 * The packets of one direction: packetised, some lost, each delayed by 20 ms plus jitter, decoded by the RTP receiver
 * and played out by a jitter buffer, whose missing samples the station fills in. Time is the sample count.
 */
export function rtpPath(options: RtpPathOptions): AudioPath & { readonly stats: RtpPathStats } {
  const payloadType = options.codec === 'PCMU' ? 0 : 8;
  const selection = { codec: options.codec, payloadType };
  const packetiser = new RtpPacketiser({ selection, ssrc: 0x5eed, firstSequenceNumber: 65_500, firstTimestamp: 7 });
  const receiver = new RtpAudioReceiver(selection);
  const buffer = new JitterBuffer();
  const random = seededRandom(options.seed);
  const inFlight: { at: number; datagram: Uint8Array }[] = [];
  const stats: RtpPathStats = { sent: 0, lost: 0 };
  let now = 0;
  return {
    stats,
    carry(samples) {
      for (const datagram of packetiser.push(samples)) {
        stats.sent++;
        if (random() < options.loss) stats.lost++;
        else inFlight.push({ at: now + 160 + Math.floor(random() * options.jitterSamples), datagram });
      }
      now += samples.length;
      inFlight.sort((a, b) => a.at - b.at);
      while (inFlight.length > 0 && (inFlight[0] as { at: number }).at <= now) {
        const { at, datagram } = inFlight.shift() as { at: number; datagram: Uint8Array };
        const arrival = receiver.receive(datagram);
        if (arrival.kind === 'audio') buffer.push({ ...arrival.packet, samples: arrival.samples }, at);
      }
      const out = new Int16Array(samples.length);
      const frame = buffer.pull(now, out);
      return { samples: out, missing: frame.missing.slice(0, out.length) };
    },
  };
}
