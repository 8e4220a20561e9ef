// G.711 audio streams in SDP (RFC 3551 §6 payload types, RFC 4733 telephone-event) and their answers (RFC 3264 §6.1).
import type { SdpAttribute, SdpMedia } from './sdp.js';

export type G711Codec = 'PCMU' | 'PCMA';

export interface AudioCapabilities {
  /** Codecs this end can take, in its order of preference. */
  readonly codecs: readonly G711Codec[];
  /** Whether to accept or offer RFC 4733 telephone-event. */
  readonly telephoneEvent: boolean;
  /** Packet time in ms for a=ptime (20 by default). */
  readonly ptime?: number;
}

/** What an answered or accepted audio stream carries. */
export interface AudioSelection {
  readonly codec: G711Codec;
  readonly payloadType: number;
  readonly telephoneEventPayloadType?: number;
}

/** RFC 3551 Table 4: the static payload types of G.711. */
const STATIC_PAYLOAD_TYPES: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };
/** The dynamic payload type offered for telephone-event: the customary 101. */
const TELEPHONE_EVENT_PAYLOAD_TYPE = 101;
/** RFC 4733 §3.2: DTMF digits 0–9, *, #, A–D (0–15) plus flash (16). */
const TELEPHONE_EVENTS = '0-16';

/** The encoding a payload type carries: from its a=rtpmap, else from the static table (RFC 4566 §6 rtpmap). */
function encodingOf(media: SdpMedia, payloadType: string): { name: string; clockRate: number } | undefined {
  for (const attribute of media.attributes) {
    if (attribute.name.toLowerCase() !== 'rtpmap' || attribute.value === undefined) continue;
    const match = /^\s*([0-9]+)\s+([^/\s]+)\/([0-9]+)/.exec(attribute.value);
    if (match && match[1] === payloadType) return { name: match[2].toUpperCase(), clockRate: Number(match[3]) };
  }
  if (payloadType === '0') return { name: 'PCMU', clockRate: 8000 };
  if (payloadType === '8') return { name: 'PCMA', clockRate: 8000 };
  return undefined;
}

const DIRECTIONS: Readonly<Record<string, string>> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** RFC 3264 §6.1: a sendonly offer is answered recvonly and so on; without a direction attribute it is sendrecv. */
function answerDirection(offer: SdpMedia): string {
  const offered = offer.attributes.find((attribute) => attribute.name.toLowerCase() in DIRECTIONS);
  return DIRECTIONS[offered?.name.toLowerCase() ?? 'sendrecv'];
}

/**
 * Answers an audio stream: the first offered G.711 codec this end takes (the offerer's preference decides, one codec
 * keeps a fax modem simple), plus telephone-event at the offerer's payload type when both want it. Undefined when
 * nothing matches or the profile is not plain RTP/AVP (e.g. SRTP): the caller rejects the stream.
 */
export function answerAudioOffer(
  offer: SdpMedia,
  local: AudioCapabilities,
  port: number,
): { media: SdpMedia; selection: AudioSelection } | undefined {
  if (offer.type.toLowerCase() !== 'audio' || offer.protocol.toUpperCase() !== 'RTP/AVP' || offer.port === 0)
    return undefined;
  let selection: { codec: G711Codec; payloadType: number } | undefined;
  let telephoneEventPayloadType: number | undefined;
  for (const format of offer.formats) {
    const encoding = encodingOf(offer, format);
    if (encoding === undefined || encoding.clockRate !== 8000) continue;
    const codec = local.codecs.find((candidate) => candidate === encoding.name);
    if (codec !== undefined && selection === undefined) selection = { codec, payloadType: Number(format) };
    if (encoding.name === 'TELEPHONE-EVENT' && local.telephoneEvent) telephoneEventPayloadType ??= Number(format);
  }
  if (selection === undefined) return undefined;
  const media = audioMedia(
    port,
    selection.codec,
    selection.payloadType,
    telephoneEventPayloadType,
    local.ptime,
    answerDirection(offer),
  );
  return {
    media,
    selection: { ...selection, ...(telephoneEventPayloadType !== undefined && { telephoneEventPayloadType }) },
  };
}

/** The codec an answered audio stream settled on: its first G.711 format, plus telephone-event if listed. */
export function audioSelectionOf(media: SdpMedia): AudioSelection | undefined {
  let selection: AudioSelection | undefined;
  let telephoneEventPayloadType: number | undefined;
  for (const format of media.formats) {
    const name = encodingOf(media, format)?.name;
    if ((name === 'PCMU' || name === 'PCMA') && selection === undefined)
      selection = { codec: name, payloadType: Number(format) };
    if (name === 'TELEPHONE-EVENT') telephoneEventPayloadType ??= Number(format);
  }
  return selection && { ...selection, ...(telephoneEventPayloadType !== undefined && { telephoneEventPayloadType }) };
}

/** An audio offer listing this end's codecs in preference order, with telephone-event if wanted. */
export function createAudioMedia(port: number, local: AudioCapabilities): SdpMedia {
  const formats = local.codecs.map((codec) => String(STATIC_PAYLOAD_TYPES[codec]));
  const attributes: SdpAttribute[] = local.codecs.map((codec) => rtpmap(STATIC_PAYLOAD_TYPES[codec], `${codec}/8000`));
  if (local.telephoneEvent) {
    formats.push(String(TELEPHONE_EVENT_PAYLOAD_TYPE));
    attributes.push(rtpmap(TELEPHONE_EVENT_PAYLOAD_TYPE, 'telephone-event/8000'));
    attributes.push({ name: 'fmtp', value: `${TELEPHONE_EVENT_PAYLOAD_TYPE} ${TELEPHONE_EVENTS}` });
  }
  attributes.push({ name: 'ptime', value: String(local.ptime ?? 20) }, { name: 'sendrecv' });
  return { type: 'audio', port, protocol: 'RTP/AVP', formats, bandwidths: [], attributes, extra: [] };
}

function audioMedia(
  port: number,
  codec: G711Codec,
  payloadType: number,
  telephoneEventPayloadType: number | undefined,
  ptime: number | undefined,
  direction: string,
): SdpMedia {
  const formats = [String(payloadType)];
  const attributes: SdpAttribute[] = [rtpmap(payloadType, `${codec}/8000`)];
  if (telephoneEventPayloadType !== undefined) {
    formats.push(String(telephoneEventPayloadType));
    attributes.push(rtpmap(telephoneEventPayloadType, 'telephone-event/8000'));
    attributes.push({ name: 'fmtp', value: `${telephoneEventPayloadType} ${TELEPHONE_EVENTS}` });
  }
  attributes.push({ name: 'ptime', value: String(ptime ?? 20) }, { name: direction });
  return { type: 'audio', port, protocol: 'RTP/AVP', formats, bandwidths: [], attributes, extra: [] };
}

function rtpmap(payloadType: number, encoding: string): SdpAttribute {
  return { name: 'rtpmap', value: `${payloadType} ${encoding}` };
}
