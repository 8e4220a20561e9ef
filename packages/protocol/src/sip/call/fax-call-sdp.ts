// This end's session descriptions in one fax call (RFC 3264 §5–§8): one origin whose version rises with each new
// description, T.38 preferred, audio only as the placeholder a call starts on before switching to T.38.
import { DecodeError } from '../../bits/decode-error.js';
import type { AudioCapabilities } from '../../sdp/audio-offer-answer.js';
import { decodeSdp, encodeSdp, type SdpSession } from '../../sdp/sdp.js';
import {
  answerSdpOffer,
  createSdpOffer,
  readSdpAnswer,
  type SdpAcceptedStream,
  type SdpEndpoint,
} from '../../sdp/sdp-offer-answer.js';
import type { T38Capabilities } from '../../sdp/t38-offer-answer.js';

export interface FaxCallMedia {
  /** The address our media socket is reachable at (c=). */
  readonly address: string;
  /** The call's UDPTL port (also named for audio, which is never carried). */
  readonly port: number;
  readonly t38: T38Capabilities;
  readonly audio: AudioCapabilities;
}

export class FaxCallSdp {
  readonly #media: FaxCallMedia;
  readonly #sessionId: string;
  #version = 0;
  /** The description in force before our latest offer, restored if that offer is refused. */
  #beforeOffer: Uint8Array | undefined;
  /** Our latest description, offered or answered: repeated unchanged for a session refresh (RFC 4028 §7.4). */
  last: Uint8Array | undefined;
  /** What the session carries now. */
  current: SdpAcceptedStream | undefined;

  constructor(media: FaxCallMedia, sessionId: string) {
    this.#media = media;
    this.#sessionId = sessionId;
  }

  #endpoint(kinds: { audio: boolean; t38: boolean }): SdpEndpoint {
    this.#version += 1;
    const { address, port } = this.#media;
    return {
      origin: {
        username: 'faxd',
        sessionId: this.#sessionId,
        sessionVersion: String(this.#version),
        netType: 'IN',
        addrType: address.includes(':') ? 'IP6' : 'IP4',
        address,
      },
      address,
      ...(kinds.audio && { audio: { port, capabilities: this.#media.audio } }),
      ...(kinds.t38 && { t38: { port, capabilities: this.#media.t38 } }),
    };
  }

  /** An offer of T.38 alone, or of audio alone (`audio-first`, the carrier pattern that switches later). */
  offer(kind: 't38' | 'audio'): { session: SdpSession; body: Uint8Array } {
    const session = createSdpOffer(this.#endpoint({ audio: kind === 'audio', t38: kind === 't38' }));
    this.#beforeOffer = this.last;
    this.last = encodeSdp(session);
    return { session, body: this.last };
  }

  /**
   * The far end refused (or never answered) our last offer in the dialog: RFC 3264 §8 leaves the session as it was, so
   * a later refresh repeats the description in force, not the refused one.
   */
  withdraw(): void {
    this.last = this.#beforeOffer;
  }

  /**
   * Answers an offer, taking T.38 if offered and else audio unless `t38Only`; undefined when nothing is acceptable
   * or the offer does not decode (answer 488). The session is not changed until the caller commits `accepted`.
   */
  answer(body: Uint8Array, t38Only: boolean): { body: Uint8Array; accepted: SdpAcceptedStream } | undefined {
    try {
      const { answer, accepted } = answerSdpOffer(decodeSdp(body), this.#endpoint({ audio: !t38Only, t38: true }));
      if (!accepted) return undefined;
      this.last = encodeSdp(answer);
      return { body: this.last, accepted };
    } catch (error) {
      if (error instanceof DecodeError) return undefined;
      throw error;
    }
  }

  /** The stream an answer to our `offer` accepted, or undefined (refused everything, or did not decode). */
  read(offer: SdpSession, body: Uint8Array): SdpAcceptedStream | undefined {
    try {
      return readSdpAnswer(offer, decodeSdp(body));
    } catch (error) {
      if (error instanceof DecodeError) return undefined;
      throw error;
    }
  }

  /**
   * Whether `body` offers exactly the stream the call already carries, T.38 or audio (the same codec still among the
   * offered formats): a refresh, not a change.
   */
  isRefreshOf(body: Uint8Array): boolean {
    const current = this.current;
    if (!current) return false;
    try {
      const offer = decodeSdp(body);
      const media = offer.media[current.index];
      const address = media?.connection?.address ?? offer.connection?.address;
      const sameStream =
        current.kind === 't38'
          ? media?.type.toLowerCase() === 'image'
          : media?.type.toLowerCase() === 'audio' && media.formats.includes(String(current.selection.payloadType));
      return sameStream && media.port === current.remote.port && address === current.remote.address;
    } catch (error) {
      if (error instanceof DecodeError) return false;
      throw error;
    }
  }
}
