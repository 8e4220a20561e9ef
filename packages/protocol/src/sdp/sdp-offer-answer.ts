// Session-level SDP offer/answer for a fax endpoint (RFC 3264 §5, §6, §8): one audio or T.38 stream at a time.
import {
  type AudioCapabilities,
  type AudioSelection,
  answerAudioOffer,
  audioSelectionOf,
  createAudioMedia,
} from './audio-offer-answer.js';
import type { SdpConnection, SdpMedia, SdpOrigin, SdpSession } from './sdp.js';
import { decodeT38Parameters, encodeT38Attributes } from './t38-attributes.js';
import {
  answerT38Offer,
  createT38Offer,
  type T38Capabilities,
  type T38Session,
  t38SessionFromAnswer,
} from './t38-offer-answer.js';

export interface SdpEndpoint {
  /** Our o= line; the caller keeps the session id and raises the version on each new offer (RFC 3264 §8). */
  readonly origin: SdpOrigin;
  /** The IPv4 address our media sockets are bound to and reachable at (c=). */
  readonly address: string;
  /** Accept or offer audio on this port; leave out to refuse audio. */
  readonly audio?: { readonly port: number; readonly capabilities: AudioCapabilities };
  /** Accept or offer T.38 on this port; leave out to refuse T.38. */
  readonly t38?: { readonly port: number; readonly capabilities: T38Capabilities };
}

/** Where the far end wants its media sent. */
export interface SdpRemoteMedia {
  readonly address: string;
  readonly port: number;
}

export type SdpAcceptedStream =
  | { readonly kind: 't38'; readonly index: number; readonly remote: SdpRemoteMedia; readonly session: T38Session }
  | {
      readonly kind: 'audio';
      readonly index: number;
      readonly remote: SdpRemoteMedia;
      readonly selection: AudioSelection;
    };

/** An image stream carrying T.38 over UDPTL (T.38 Annex D: `m=image PORT udptl t38`, any letter case). */
export function isT38Media(media: SdpMedia): boolean {
  return (
    media.type.toLowerCase() === 'image' &&
    media.protocol.toLowerCase() === 'udptl' &&
    media.formats.some((format) => format.toLowerCase() === 't38')
  );
}

export function isAudioMedia(media: SdpMedia): boolean {
  return media.type.toLowerCase() === 'audio';
}

/**
 * What an offer asks for: the indexes of its active (non-zero port) audio and T.38 streams. `switchesToT38` marks the
 * usual fax re-INVITE: a T.38 stream with no active audio beside it (audio replaced, or kept with port 0).
 */
export function classifySdpOffer(offer: SdpSession): { audio?: number; t38?: number; switchesToT38: boolean } {
  const audio = offer.media.findIndex((media) => isAudioMedia(media) && media.port !== 0);
  const t38 = offer.media.findIndex((media) => isT38Media(media) && media.port !== 0);
  return {
    ...(audio >= 0 && { audio }),
    ...(t38 >= 0 && { t38 }),
    switchesToT38: t38 >= 0 && audio < 0,
  };
}

function remoteOf(offer: SdpSession, media: SdpMedia): SdpRemoteMedia {
  return { address: (media.connection ?? offer.connection)?.address ?? '', port: media.port };
}

/** RFC 3264 §6: a refused stream keeps its place with port 0, its type, protocol and formats. */
function rejected(media: SdpMedia): SdpMedia {
  return {
    type: media.type,
    port: 0,
    protocol: media.protocol,
    formats: media.formats,
    bandwidths: [],
    attributes: [],
    extra: [],
  };
}

/**
 * Answers an offer with one m= line per offered one, in order (RFC 3264 §6). At most one stream is accepted: T.38 if
 * offered and `local.t38` is set (a fax endpoint prefers it), else audio if `local.audio` is set; the rest get port 0.
 * `accepted` is undefined when nothing could be accepted: answer the INVITE with 488 instead. Malformed T.38
 * attributes in the accepted stream throw DecodeError (also a 488).
 */
export function answerSdpOffer(
  offer: SdpSession,
  local: SdpEndpoint,
): { answer: SdpSession; accepted?: SdpAcceptedStream } {
  const media = offer.media.map(rejected);
  let accepted: SdpAcceptedStream | undefined;
  const { audio, t38 } = classifySdpOffer(offer);
  if (t38 !== undefined && local.t38) {
    const offered = offer.media[t38];
    const { answer, session } = answerT38Offer(decodeT38Parameters(offered.attributes), local.t38.capabilities);
    media[t38] = { ...t38Media(local.t38.port), attributes: encodeT38Attributes(answer) };
    accepted = { kind: 't38', index: t38, remote: remoteOf(offer, offered), session };
  } else if (audio !== undefined && local.audio) {
    const offered = offer.media[audio];
    const answered = answerAudioOffer(offered, local.audio.capabilities, local.audio.port);
    if (answered) {
      media[audio] = answered.media;
      accepted = { kind: 'audio', index: audio, remote: remoteOf(offer, offered), selection: answered.selection };
    }
  }
  return { answer: session(local, media), ...(accepted && { accepted }) };
}

/**
 * Reads the answer to our `offer`: the accepted T.38 stream (preferred) or audio stream, or undefined when the answerer
 * refused every stream (all ports 0). Throws DecodeError on malformed T.38 attributes.
 */
export function readSdpAnswer(offer: SdpSession, answer: SdpSession): SdpAcceptedStream | undefined {
  const t38 = answer.media.findIndex((media) => isT38Media(media) && media.port !== 0);
  const ours = offer.media[t38];
  if (t38 >= 0 && ours !== undefined && isT38Media(ours)) {
    const session = t38SessionFromAnswer(
      decodeT38Parameters(ours.attributes),
      decodeT38Parameters(answer.media[t38].attributes),
    );
    return { kind: 't38', index: t38, remote: remoteOf(answer, answer.media[t38]), session };
  }
  const audio = answer.media.findIndex((media) => isAudioMedia(media) && media.port !== 0);
  const selection = audio >= 0 ? audioSelectionOf(answer.media[audio]) : undefined;
  if (selection === undefined) return undefined;
  return { kind: 'audio', index: audio, remote: remoteOf(answer, answer.media[audio]), selection };
}

/**
 * An offer from this end: audio first if `local.audio` is set, then T.38 if `local.t38` is set. For the switch to T.38
 * in a re-INVITE, give only `t38` (the image stream takes the audio stream's place, as Asterisk and FreeSWITCH do).
 */
export function createSdpOffer(local: SdpEndpoint): SdpSession {
  const media: SdpMedia[] = [];
  if (local.audio) media.push(createAudioMedia(local.audio.port, local.audio.capabilities));
  if (local.t38) {
    media.push({
      ...t38Media(local.t38.port),
      attributes: encodeT38Attributes(createT38Offer(local.t38.capabilities)),
    });
  }
  return session(local, media);
}

function t38Media(port: number): SdpMedia {
  return { type: 'image', port, protocol: 'udptl', formats: ['t38'], bandwidths: [], attributes: [], extra: [] };
}

function session(local: SdpEndpoint, media: SdpMedia[]): SdpSession {
  const connection: SdpConnection = {
    netType: 'IN',
    addrType: local.address.includes(':') ? 'IP6' : 'IP4',
    address: local.address,
  };
  return {
    origin: local.origin,
    sessionName: 'faxd',
    connection,
    bandwidths: [],
    times: [{ start: '0', stop: '0' }],
    attributes: [],
    media,
    extra: [],
  };
}
