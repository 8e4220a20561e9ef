// Sorts arriving RTP datagrams of a G.711 stream (RFC 3550 §5.1, RFC 3551 §4.5.14 CN, RFC 4733 telephone-event).
import { DecodeError } from '../bits/decode-error.js';
import type { AudioSelection } from '../sdp/audio-offer-answer.js';
import { decodeG711 } from './g711.js';
import { decodeRtpPacket, type RtpPacket } from './rtp-packet.js';

/** RFC 3551 Table 4 / RFC 3389: comfort noise. */
const COMFORT_NOISE_PAYLOAD_TYPE = 13;

/**
 * What one datagram turned out to be. Only `audio` reaches the modems: a fax carries everything in-band, so
 * telephone-events (a gateway's DTMF or tone relay) and comfort noise (a VAD's idea of silence) are ignored, and a
 * packet of any other payload type is counted and dropped rather than guessed at.
 */
export type RtpAudioArrival =
  | { readonly kind: 'audio'; readonly packet: RtpPacket; readonly samples: Int16Array }
  | {
      readonly kind: 'ignored';
      readonly reason: 'telephone-event' | 'comfort-noise' | 'unknown-payload-type';
      readonly packet: RtpPacket;
    }
  | { readonly kind: 'malformed'; readonly error: DecodeError };

export interface RtpAudioReceiverStats {
  audio: number;
  ignored: number;
  malformed: number;
}

/** Decodes datagrams of the negotiated stream; never throws for what arrives on the wire. */
export class RtpAudioReceiver {
  readonly #selection: AudioSelection;
  readonly stats: RtpAudioReceiverStats = { audio: 0, ignored: 0, malformed: 0 };

  constructor(selection: AudioSelection) {
    this.#selection = selection;
  }

  receive(datagram: Uint8Array): RtpAudioArrival {
    let packet: RtpPacket;
    try {
      packet = decodeRtpPacket(datagram);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.stats.malformed++;
      return { kind: 'malformed', error };
    }
    const type = packet.payloadType;
    if (type === this.#selection.payloadType) {
      this.stats.audio++;
      return { kind: 'audio', packet, samples: decodeG711(this.#selection.codec, packet.payload) };
    }
    this.stats.ignored++;
    if (type === this.#selection.telephoneEventPayloadType)
      return { kind: 'ignored', reason: 'telephone-event', packet };
    if (type === COMFORT_NOISE_PAYLOAD_TYPE) return { kind: 'ignored', reason: 'comfort-noise', packet };
    return { kind: 'ignored', reason: 'unknown-payload-type', packet };
  }
}
